// Raises one shard of the fence to $day (never lowers it): from its commit every intake that writes this shard takes effect after $day.
MATCH (f:Fence {shard: $shard})
SET f.fenced_day = CASE WHEN f.fenced_day IS NULL OR f.fenced_day < $day THEN $day ELSE f.fenced_day END,
    f.touched_at_ms = $now_ms
RETURN f.shard AS shard
