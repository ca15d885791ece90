// A member's uplines, nearest first, at most $limit of them, with their generation and tier rank.
MATCH p = (:Member {phone: $phone})-[:SPONSORED_BY*1..]->(u:Member)
WITH u, length(p) AS generation
ORDER BY generation
LIMIT $limit
RETURN u.phone AS phone, generation,
  size([t IN $tier_thresholds_fen WHERE t <= u.team_cash_fen + u.team_points_fen]) AS tier_rank
