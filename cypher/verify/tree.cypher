// Every member with its sponsor (null for the root) and its stored own and team aggregates.
MATCH (m:Member)
OPTIONAL MATCH (m)-[:SPONSORED_BY]->(s:Member)
RETURN m.phone AS phone, s.phone AS sponsor_phone, m.own_cash_fen AS own_cash_fen, m.own_points_fen AS own_points_fen,
  m.team_cash_fen AS team_cash_fen, m.team_points_fen AS team_points_fen, m.team_size AS team_size
