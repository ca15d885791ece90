// Forgets a key's failures (after a success); returns nothing.
MATCH (t:Throttle {key: $key})
DELETE t
