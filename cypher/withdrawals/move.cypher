// Moves a withdrawal from one status to the next (a rejection with its reason); no row unless it was in status $from.
MATCH (w:Withdrawal {id: $id, status: $from})
SET w.status = $to,
    w.decided_at_ms = CASE WHEN $from = 'requested' THEN $now_ms ELSE w.decided_at_ms END,
    w.decided_by = CASE WHEN $from = 'requested' THEN $actor ELSE w.decided_by END,
    w.paid_at_ms = CASE WHEN $to = 'paid' THEN $now_ms ELSE w.paid_at_ms END,
    w.reject_reason = CASE WHEN $to = 'rejected' THEN $reason ELSE w.reject_reason END
RETURN w.id AS id
