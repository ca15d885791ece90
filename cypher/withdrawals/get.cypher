// One withdrawal by id.
MATCH (w:Withdrawal {id: $id})
RETURN w.id AS id, w.phone AS phone, w.amount_fen AS amount_fen, w.fee_fen AS fee_fen, w.status AS status,
  w.request_hash AS request_hash, w.created_at_ms AS created_at_ms, w.decided_at_ms AS decided_at_ms,
  w.decided_by AS decided_by, w.paid_at_ms AS paid_at_ms, w.account_masked AS account_masked,
  w.account_sealed AS account_sealed, w.reject_reason AS reject_reason
