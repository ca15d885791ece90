// Clears the waiting mark of those members whose own volume and membership are all counted by now; returns how many.
UNWIND $phones AS phone
MATCH (m:Member {phone: phone, team_dirty: true})
MATCH (t:Team {phone: phone})
WHERE t.counted_self = true AND t.counted_cash_fen = m.own_cash_fen AND t.counted_points_fen = m.own_points_fen
SET m.team_dirty = false
RETURN count(m) AS cleared
