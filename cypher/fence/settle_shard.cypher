// Records on one shard of the fence that $day is settled (never lowers it): from its commit refunds that write this shard are applied at once.
MATCH (f:Fence {shard: $shard})
SET f.settled_day = CASE WHEN f.settled_day IS NULL OR f.settled_day < $day THEN $day ELSE f.settled_day END,
    f.touched_at_ms = $now_ms
RETURN f.shard AS shard
