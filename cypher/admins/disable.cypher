// Disables an admin (it can no longer log in) and ends all of its sessions; returns whether it was disabled already and how many sessions ended (no row when there is no such admin).
MATCH (a:Admin {username: $username})
WITH a, a.disabled_at_ms IS NOT NULL AS was_disabled
SET a.disabled_at_ms = coalesce(a.disabled_at_ms, $now_ms)
WITH a, was_disabled
OPTIONAL MATCH (s:Session {kind: 'admin', subject: a.username})
DELETE s
RETURN was_disabled, count(s) AS sessions_ended
