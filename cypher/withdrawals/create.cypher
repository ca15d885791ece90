// Records a requested withdrawal of a member's available points.
MATCH (m:Member {phone: $phone})
CREATE (w:Withdrawal {id: $id, phone: $phone, amount_fen: $amount_fen, fee_fen: $fee_fen, status: 'requested',
  idempotency_key: $idempotency_key, request_hash: $request_hash, created_at_ms: $now_ms,
  decided_at_ms: null, decided_by: null, paid_at_ms: null})-[:OF]->(m)
RETURN w.id AS id
