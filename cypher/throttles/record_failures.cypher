// Records a key's failures: how many, the last one, and when the record may be forgotten.
MATCH (t:Throttle {key: $key})
SET t.fails = $fails, t.last_ms = $last_ms, t.tat_ms = $forget_ms
