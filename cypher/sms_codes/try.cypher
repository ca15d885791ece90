// Counts one try against the live code of a phone for a purpose (unused, unexpired, tries left) and returns it with its new try count.
MATCH (c:SmsCode {phone: $phone, purpose: $purpose})
WHERE c.uses = 0 AND c.expires_at_ms > $now_ms AND c.tries < $max_tries
WITH c
ORDER BY c.created_at_ms DESC
LIMIT 1
SET c.tries = c.tries + 1
RETURN c.id AS id, c.salt AS salt, c.hash AS hash, c.tries AS tries
