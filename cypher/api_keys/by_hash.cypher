// The live (not revoked) API key with this hash, and its scopes.
MATCH (k:ApiKey {key_hash: $key_hash})
WHERE k.revoked_at_ms IS NULL
RETURN k.id AS id, k.name AS name, k.scopes AS scopes
