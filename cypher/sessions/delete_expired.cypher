// Removes sessions idle since $idle_before_ms or opened before $opened_before_ms; returns how many.
MATCH (s:Session)
WHERE s.seen_at_ms < $idle_before_ms OR s.created_at_ms < $opened_before_ms
DELETE s
RETURN count(*) AS deleted
