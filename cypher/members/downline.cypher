// One page of the members below a member down to a depth (at most 10), ordered by depth then phone.
MATCH p = (:Member {phone: $phone})<-[:SPONSORED_BY*1..10]-(d:Member)
WITH d, length(p) AS depth
WHERE depth <= $depth AND (depth > $after_depth OR (depth = $after_depth AND d.phone > $after_phone))
MATCH (d)-[:SPONSORED_BY]->(s:Member)
RETURN d.phone AS phone, s.phone AS sponsor_phone, depth,
  d.team_cash_fen AS team_cash_fen, d.team_points_fen AS team_points_fen, d.team_size AS team_size,
  size([t IN $tier_thresholds_fen WHERE t <= d.team_cash_fen + d.team_points_fen]) AS tier_rank,
  COUNT { (d)<-[:SPONSORED_BY]-(:Member) } AS direct_count
ORDER BY depth, phone
LIMIT $limit
