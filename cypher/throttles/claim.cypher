// The throttle of a key, made if new, written to (so that concurrent claims of one key conflict
// and run one after the other); returns its theoretical arrival time in ms (0 when new).
MERGE (t:Throttle {key: $key})
ON CREATE SET t.tat_ms = 0
SET t.claimed_ms = $now_ms
RETURN t.tat_ms AS tat_ms
