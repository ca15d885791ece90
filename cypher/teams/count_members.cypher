// Records that each row's own volume and membership are now counted in its uplines' teams; returns how many.
UNWIND $rows AS r
MATCH (t:Team {phone: r.phone})
SET t.counted_cash_fen = t.counted_cash_fen + r.cash_fen,
    t.counted_points_fen = t.counted_points_fen + r.points_fen,
    t.counted_self = true
RETURN count(t) AS counted
