// Forgets every send at or before $before_ms (of any phone): it no longer counts against any limit.
MATCH (s:SmsSend)
WHERE s.at_ms <= $before_ms
DELETE s
