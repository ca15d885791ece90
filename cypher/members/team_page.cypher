// One page of a member's team as the portal lists it: the members down to three generations below, by generation then phone, from position $skip (of one generation when $generation is given), with tier rank and team figures.
MATCH p = (:Member {phone: $phone})<-[:SPONSORED_BY*1..3]-(d:Member)
WITH d, length(p) AS depth
WHERE $generation IS NULL OR depth = $generation
WITH d, depth
ORDER BY depth, d.phone
SKIP $skip
LIMIT $limit
MATCH (t:Team {phone: d.phone})
RETURN d.phone AS phone, depth,
  t.team_cash_fen AS team_cash_fen, t.team_points_fen AS team_points_fen, t.team_size AS team_size,
  size([x IN $tier_thresholds_fen WHERE x <= t.team_cash_fen + t.team_points_fen]) AS tier_rank,
  COUNT { (d)<-[:SPONSORED_BY]-(:Member) } AS direct_count
ORDER BY depth, phone
