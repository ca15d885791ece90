// Creates the fence's shards that are missing, each holding the latest fenced and the latest settled day.
UNWIND range(0, $shards - 1) AS shard
MERGE (f:Fence {shard: shard})
  ON CREATE SET f.fenced_day = $fenced_day, f.settled_day = $settled_day, f.touched_at_ms = 0
