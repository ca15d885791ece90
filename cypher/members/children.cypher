// One page of a member's direct referrals, the largest team volume first (then by phone), after the position ($after_volume_fen, $after_phone) when given, with when they joined, tier rank, team figures, own purchases and largest live order.
MATCH (:Member {phone: $phone})<-[:SPONSORED_BY]-(c:Member)
MATCH (t:Team {phone: c.phone})
WITH c, t, t.team_cash_fen + t.team_points_fen AS volume
WHERE $after_phone IS NULL OR volume < $after_volume_fen OR (volume = $after_volume_fen AND c.phone > $after_phone)
WITH c, t, volume
ORDER BY volume DESC, c.phone
LIMIT $limit
OPTIONAL MATCH (o:Order {refunded: false})-[:PLACED_BY]->(c)
WITH c, t, volume, max(o.amount_fen) AS largest_order_fen
RETURN c.phone AS phone, c.name AS name, coalesce(c.created_at_ms, 0) AS joined_at_ms,
  size([x IN $tier_thresholds_fen WHERE x <= volume]) AS tier_rank,
  t.team_cash_fen AS team_cash_fen, t.team_points_fen AS team_points_fen, t.team_size AS team_size,
  COUNT { (c)<-[:SPONSORED_BY]-(:Member) } AS direct_count,
  c.own_cash_fen + c.own_points_fen AS own_fen, coalesce(largest_order_fen, 0) AS largest_order_fen, volume AS team_volume_fen
ORDER BY team_volume_fen DESC, phone
