// Reads the fence without writing it: the latest fenced day of any shard and the lowest settled day.
MATCH (f:Fence)
RETURN max(f.fenced_day) AS fenced_day, min(f.settled_day) AS settled_day
