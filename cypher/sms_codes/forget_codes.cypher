// Forgets every code (of any phone) that expired at or before $before_ms.
MATCH (c:SmsCode)
WHERE c.expires_at_ms <= $before_ms
DELETE c
