// Writes one shard of the fence, so that a fence raised meanwhile conflicts with this transaction, and returns the latest fenced and settled days.
MATCH (f:Fence {shard: $shard})
SET f.touched_at_ms = $now_ms
RETURN f.fenced_day AS fenced_day, f.settled_day AS settled_day
