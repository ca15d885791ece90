// The adjustment recorded under an idempotency key (phone|key): the fingerprint of its request and the available balance it left.
MATCH (k:AdjustmentKey {key: $key})
RETURN k.request_hash AS request_hash, k.available_fen AS available_fen
