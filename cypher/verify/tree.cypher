// Every member with its sponsor (null for the root), its own volume, its team aggregates and what of its own volume and membership they count.
MATCH (m:Member)
MATCH (t:Team {phone: m.phone})
OPTIONAL MATCH (m)-[:SPONSORED_BY]->(s:Member)
RETURN m.phone AS phone, s.phone AS sponsor_phone, m.own_cash_fen AS own_cash_fen, m.own_points_fen AS own_points_fen,
  t.team_cash_fen AS team_cash_fen, t.team_points_fen AS team_points_fen, t.team_size AS team_size,
  t.counted_cash_fen AS counted_cash_fen, t.counted_points_fen AS counted_points_fen, t.counted_self AS counted_self
