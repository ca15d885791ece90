// The failure record of a key, made if new, written to (so that concurrent failures of one key
// conflict and are counted one after the other); returns its count and last failure (null when new).
MERGE (t:Throttle {key: $key})
ON CREATE SET t.tat_ms = 0
SET t.claimed_ms = $now_ms
RETURN t.fails AS fails, t.last_ms AS last_ms
