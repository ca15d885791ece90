// The send-limit record of a phone, made if new and written to, so that concurrent code
// requests for one phone (on any server) conflict and are decided one after the other.
MERGE (l:SmsLimit {phone: $phone})
SET l.claimed_ms = $now_ms
RETURN l.phone AS phone
