// Stores a new API key by the hash of its secret.
CREATE (k:ApiKey {id: $id, name: $name, key_hash: $key_hash, scopes: $scopes, created_at_ms: $now_ms})
RETURN k.id AS id
