// The withdrawals waiting for a decision: how many, and their amount.
MATCH (w:Withdrawal {status: 'requested'})
RETURN count(w) AS count, coalesce(sum(w.amount_fen), 0) AS amount_fen
