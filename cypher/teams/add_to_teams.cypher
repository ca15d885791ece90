// Adds each row's deltas to that member's team aggregates; returns how many teams changed.
UNWIND $rows AS r
MATCH (t:Team {phone: r.phone})
SET t.team_cash_fen = t.team_cash_fen + r.cash_fen,
    t.team_points_fen = t.team_points_fen + r.points_fen,
    t.team_size = t.team_size + r.members
SET t.volume_key = right('0000000000000000' + toString(t.team_cash_fen + t.team_points_fen), 16) + t.phone
RETURN count(t) AS changed
