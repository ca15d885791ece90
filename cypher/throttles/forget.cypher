// Forgets the throttles whose every attempt was paid back before $before_ms; returns how many.
MATCH (t:Throttle)
WHERE t.tat_ms < $before_ms
DELETE t
RETURN count(*) AS forgotten
