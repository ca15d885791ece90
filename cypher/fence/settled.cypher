// Records on every shard that $day is settled: refunds from now on are applied at once; returns the number of shards.
MATCH (f:Fence)
SET f.settled_day = $day, f.touched_at_ms = $now_ms
RETURN count(f) AS shards
