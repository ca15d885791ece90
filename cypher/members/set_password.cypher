// Sets a member's password hash and ends all of its sessions; returns the phone and how many sessions ended (no row when no such member).
MATCH (m:Member {phone: $phone})
SET m.password_hash = $password_hash
WITH m
OPTIONAL MATCH (s:Session {kind: 'member', subject: m.phone})
DELETE s
RETURN m.phone AS phone, count(s) AS sessions_ended
