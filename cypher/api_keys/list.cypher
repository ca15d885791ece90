// Every API key (never its secret), the newest first, revoked ones included.
MATCH (k:ApiKey)
RETURN k.id AS id, k.name AS name, k.scopes AS scopes, k.created_at_ms AS created_at_ms, k.revoked_at_ms AS revoked_at_ms
ORDER BY created_at_ms DESC, id
