// Members by phone with what a list shows: name, when they joined, tier rank, team figures, direct referrals, own purchases and largest live order.
UNWIND $phones AS phone
MATCH (m:Member {phone: phone})
MATCH (t:Team {phone: phone})
OPTIONAL MATCH (o:Order {refunded: false})-[:PLACED_BY]->(m)
WITH m, t, max(o.amount_fen) AS largest_order_fen
RETURN m.phone AS phone, m.name AS name, coalesce(m.created_at_ms, 0) AS joined_at_ms,
  size([x IN $tier_thresholds_fen WHERE x <= t.team_cash_fen + t.team_points_fen]) AS tier_rank,
  t.team_cash_fen AS team_cash_fen, t.team_points_fen AS team_points_fen, t.team_size AS team_size,
  COUNT { (m)<-[:SPONSORED_BY]-(:Member) } AS direct_count,
  m.own_cash_fen + m.own_points_fen AS own_fen, coalesce(largest_order_fen, 0) AS largest_order_fen
ORDER BY phone
