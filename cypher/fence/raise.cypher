// Raises the fence to $day on every shard: from now on every intake takes effect after $day; returns the number of shards.
MATCH (f:Fence)
SET f.fenced_day = $day, f.touched_at_ms = $now_ms
RETURN count(f) AS shards
