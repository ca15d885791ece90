// A member's team aggregates and what of its own volume and membership its uplines' teams count.
MATCH (t:Team {phone: $phone})
RETURN t.team_cash_fen AS team_cash_fen, t.team_points_fen AS team_points_fen, t.team_size AS team_size,
  t.counted_cash_fen AS counted_cash_fen, t.counted_points_fen AS counted_points_fen, t.counted_self AS counted_self
