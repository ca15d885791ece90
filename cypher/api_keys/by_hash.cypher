// The live (not revoked) API key with this hash: its hash (for the caller to compare), id, name and scopes.
MATCH (k:ApiKey {key_hash: $key_hash})
WHERE k.revoked_at_ms IS NULL
RETURN k.key_hash AS key_hash, k.id AS id, k.name AS name, k.scopes AS scopes
