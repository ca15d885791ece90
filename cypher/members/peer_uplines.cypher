// Same-tier uplines nearest first, up to 10 generations, stopping at the first upline of another tier.
MATCH p = (:Member {phone: $phone})-[:SPONSORED_BY*1..10]->(u:Member)
WITH u, length(p) AS generation, nodes(p) AS path
UNWIND path AS x
MATCH (t:Team {phone: x.phone})
WITH u, generation, size([y IN $tier_thresholds_fen WHERE y <= t.team_cash_fen + t.team_points_fen]) AS rank
WITH u, generation, min(rank) AS lowest, max(rank) AS highest
WHERE lowest > 0 AND lowest = highest
RETURN u.phone AS phone, generation
ORDER BY generation
