// Records a requested withdrawal of a member's available points, to the payout account the member has now (if any).
MATCH (m:Member {phone: $phone})
CREATE (w:Withdrawal {id: $id, phone: $phone, amount_fen: $amount_fen, fee_fen: $fee_fen, status: 'requested',
  idempotency_key: $idempotency_key, request_hash: $request_hash, created_at_ms: $now_ms,
  decided_at_ms: null, decided_by: null, paid_at_ms: null, account_sealed: m.payout_sealed,
  account_masked: m.payout_masked, reject_reason: null})-[:OF]->(m)
RETURN w.id AS id
