// How many codes were sent to a phone after $since_ms, and when the latest was (null when none).
MATCH (s:SmsSend {phone: $phone})
WHERE s.at_ms > $since_ms
RETURN count(s) AS sends, max(s.at_ms) AS last_ms
