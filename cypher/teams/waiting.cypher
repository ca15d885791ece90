// Up to $limit members whose own volume or membership is not yet counted in their uplines' teams, with their sponsor and what is not counted yet.
MATCH (m:Member {team_dirty: true})
WITH m
LIMIT $limit
MATCH (t:Team {phone: m.phone})
OPTIONAL MATCH (m)-[:SPONSORED_BY]->(s:Member)
RETURN m.phone AS phone, s.phone AS sponsor_phone, m.own_cash_fen - t.counted_cash_fen AS cash_fen,
  m.own_points_fen - t.counted_points_fen AS points_fen, CASE WHEN t.counted_self THEN 0 ELSE 1 END AS members
