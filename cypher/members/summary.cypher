// One member's figures: invitation code, sponsor, when it joined, balances (its credit from settlements moved from pool to available), team aggregates (and when the team fold last brought them up to date), tier rank, direct referrals, live orders.
MATCH (m:Member {phone: $phone})
MATCH (t:Team {phone: $phone})
OPTIONAL MATCH (m)-[:SPONSORED_BY]->(s:Member)
OPTIONAL MATCH (c:Credit {phone: $phone})
OPTIONAL MATCH (o:Order {refunded: false})-[:PLACED_BY]->(m)
OPTIONAL MATCH (f:TeamFold {name: 'teams'})
WITH m, t, s, f, coalesce(c.released_fen, 0) AS credited_fen, max(o.amount_fen) AS largest_order_fen
RETURN m.phone AS phone, m.name AS name, m.invitation_code AS invitation_code, s.phone AS sponsor_phone,
  coalesce(m.created_at_ms, 0) AS joined_at_ms,
  coalesce(largest_order_fen, 0) AS largest_order_fen, m.pool_fen - credited_fen AS pool_fen,
  m.available_fen + credited_fen AS available_fen, m.frozen_fen AS frozen_fen,
  m.own_cash_fen AS own_cash_fen, m.own_points_fen AS own_points_fen,
  t.team_cash_fen AS team_cash_fen, t.team_points_fen AS team_points_fen, t.team_size AS team_size,
  size([x IN $tier_thresholds_fen WHERE x <= t.team_cash_fen + t.team_points_fen]) AS tier_rank,
  COUNT { (m)<-[:SPONSORED_BY]-(:Member) } AS direct_count, coalesce(f.folded_at_ms, 0) AS team_as_of_ms
