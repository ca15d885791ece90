// Moves the theoretical arrival time of a throttle on, for an attempt it let through.
MATCH (t:Throttle {key: $key})
SET t.tat_ms = $tat_ms
