// Same-tier uplines nearest first, up to 10 generations, stopping at the first upline of another tier.
MATCH p = (m:Member {phone: $phone})-[:SPONSORED_BY*1..10]->(u:Member)
WITH p, u, length(p) AS generation, size([t IN $tier_thresholds_fen WHERE t <= m.team_cash_fen + m.team_points_fen]) AS rank
WHERE rank > 0
  AND all(x IN nodes(p) WHERE size([t IN $tier_thresholds_fen WHERE t <= x.team_cash_fen + x.team_points_fen]) = rank)
RETURN u.phone AS phone, generation
ORDER BY generation
