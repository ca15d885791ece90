// A member's uplines, nearest first, at most $limit of them, with their generation and tier rank.
MATCH p = (:Member {phone: $phone})-[:SPONSORED_BY*1..]->(u:Member)
WITH u, length(p) AS generation
ORDER BY generation
LIMIT $limit
MATCH (t:Team {phone: u.phone})
RETURN u.phone AS phone, generation,
  size([x IN $tier_thresholds_fen WHERE x <= t.team_cash_fen + t.team_points_fen]) AS tier_rank
ORDER BY generation
