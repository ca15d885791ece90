// Records the idempotency key (phone|key) of an adjustment with its request's fingerprint and the available balance it left.
CREATE (k:AdjustmentKey {key: $key, request_hash: $request_hash, available_fen: $available_fen, at_ms: $now_ms})
