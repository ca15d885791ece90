// The lowest settled day recorded on the fence's shards (null while one has none), and how many shards there are.
MATCH (f:Fence)
RETURN min(f.settled_day) AS settled_day, count(f) AS shards, count(f.settled_day) AS settled_shards
