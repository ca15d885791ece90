// One page of the members below a member down to a depth (at most 10), ordered by depth then phone.
MATCH p = (:Member {phone: $phone})<-[:SPONSORED_BY*1..10]-(d:Member)
WITH d, length(p) AS depth
WHERE depth <= $depth AND (depth > $after_depth OR (depth = $after_depth AND d.phone > $after_phone))
WITH d, depth
ORDER BY depth, d.phone
LIMIT $limit
MATCH (d)-[:SPONSORED_BY]->(s:Member)
MATCH (t:Team {phone: d.phone})
RETURN d.phone AS phone, s.phone AS sponsor_phone, depth,
  t.team_cash_fen AS team_cash_fen, t.team_points_fen AS team_points_fen, t.team_size AS team_size,
  size([x IN $tier_thresholds_fen WHERE x <= t.team_cash_fen + t.team_points_fen]) AS tier_rank,
  COUNT { (d)<-[:SPONSORED_BY]-(:Member) } AS direct_count
ORDER BY depth, phone
