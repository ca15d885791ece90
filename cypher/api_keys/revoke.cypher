// Revokes a live API key; returns its name, or no row when there is no such live key.
MATCH (k:ApiKey {id: $id})
WHERE k.revoked_at_ms IS NULL
SET k.revoked_at_ms = $now_ms
RETURN k.name AS name
