// The withdrawal a member asked for with an idempotency key, if any: stored as PHONE|KEY, or, for
// withdrawals made before keys were the member's own, as the bare key.
MATCH (w:Withdrawal)
WHERE w.idempotency_key IN [$member_key, $legacy_key] AND w.phone = $phone
RETURN w.id AS id, w.phone AS phone, w.amount_fen AS amount_fen, w.fee_fen AS fee_fen, w.status AS status,
  w.request_hash AS request_hash, w.created_at_ms AS created_at_ms, w.decided_at_ms AS decided_at_ms,
  w.decided_by AS decided_by, w.paid_at_ms AS paid_at_ms, w.account_masked AS account_masked,
  w.account_sealed AS account_sealed, w.reject_reason AS reject_reason
ORDER BY w.created_at_ms
LIMIT 1
