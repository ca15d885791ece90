// One page of a member's direct referrals after $after, by phone, with tier rank and team figures.
MATCH (:Member {phone: $phone})<-[:SPONSORED_BY]-(c:Member)
WHERE c.phone > $after
RETURN c.phone AS phone, c.name AS name,
  size([t IN $tier_thresholds_fen WHERE t <= c.team_cash_fen + c.team_points_fen]) AS tier_rank,
  c.team_cash_fen AS team_cash_fen, c.team_points_fen AS team_points_fen, c.team_size AS team_size,
  COUNT { (c)<-[:SPONSORED_BY]-(:Member) } AS direct_count
ORDER BY phone
LIMIT $limit
