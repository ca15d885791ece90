// Creates an admin, or sets a new password (and the role when one is given) for an existing one, enables it and ends all of its sessions; returns whether it was created, its role before and after, whether it was disabled, and how many sessions ended.
MERGE (a:Admin {username: $username})
ON CREATE SET a.created_at_ms = $now_ms
WITH a, a.created_at_ms = $now_ms AS created, a.role AS previous_role, a.disabled_at_ms IS NOT NULL AS was_disabled
SET a.password_hash = $password_hash, a.role = coalesce($role, a.role, 'owner'), a.disabled_at_ms = null
WITH a, created, previous_role, was_disabled
OPTIONAL MATCH (s:Session {kind: 'admin', subject: a.username})
DELETE s
RETURN created, previous_role, a.role AS role, was_disabled, count(s) AS sessions_ended
