// Gives back one attempt of a rate throttle (an attempt that succeeded does not count): moves its arrival time back by $every_ms.
MATCH (t:Throttle {key: $key})
SET t.tat_ms = t.tat_ms - $every_ms
