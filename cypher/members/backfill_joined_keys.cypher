// Gives the members stored before the member list their joined key (created_at_ms, 13 digits, then the phone); returns how many.
MATCH (m:Member)
WHERE m.joined_key IS NULL
SET m.joined_key = right('0000000000000' + toString(m.created_at_ms), 13) + m.phone
RETURN count(m) AS updated
