// Writes every shard of the fence, so that any intake meanwhile conflicts with this transaction, and returns the latest fenced and settled days.
MATCH (f:Fence)
SET f.touched_at_ms = $now_ms
RETURN max(f.fenced_day) AS fenced_day, min(f.settled_day) AS settled_day
