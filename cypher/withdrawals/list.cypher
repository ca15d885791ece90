// A page of withdrawals, the latest first, optionally of one status, after the position ($after_ms, $after_id).
MATCH (w:Withdrawal)
WHERE ($status IS NULL OR w.status = $status)
  AND ($after_ms IS NULL OR w.created_at_ms < $after_ms OR (w.created_at_ms = $after_ms AND w.id < $after_id))
RETURN w.id AS id, w.phone AS phone, w.amount_fen AS amount_fen, w.fee_fen AS fee_fen, w.status AS status,
  w.request_hash AS request_hash, w.created_at_ms AS created_at_ms, w.decided_at_ms AS decided_at_ms,
  w.decided_by AS decided_by, w.paid_at_ms AS paid_at_ms, w.account_masked AS account_masked,
  w.account_sealed AS account_sealed, w.reject_reason AS reject_reason
ORDER BY w.created_at_ms DESC, w.id DESC
LIMIT $limit
