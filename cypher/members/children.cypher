// One page of a member's direct referrals after $after, by phone, with tier rank and team figures.
MATCH (:Member {phone: $phone})<-[:SPONSORED_BY]-(c:Member)
WHERE c.phone > $after
WITH c
ORDER BY c.phone
LIMIT $limit
MATCH (t:Team {phone: c.phone})
RETURN c.phone AS phone, c.name AS name,
  size([x IN $tier_thresholds_fen WHERE x <= t.team_cash_fen + t.team_points_fen]) AS tier_rank,
  t.team_cash_fen AS team_cash_fen, t.team_points_fen AS team_points_fen, t.team_size AS team_size,
  COUNT { (c)<-[:SPONSORED_BY]-(:Member) } AS direct_count
ORDER BY phone
