// Moves the expiry of the codes of a phone for a purpose (tests use it to age a code without waiting).
MATCH (c:SmsCode {phone: $phone, purpose: $purpose})
SET c.expires_at_ms = $expires_at_ms
RETURN count(c) AS codes
