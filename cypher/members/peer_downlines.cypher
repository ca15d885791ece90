// Direct referrals of the same tier: by monotone team volume, the nearest same-tier members of every branch.
MATCH (m:Member {phone: $phone})<-[:SPONSORED_BY]-(d:Member)
WITH m, d, size([t IN $tier_thresholds_fen WHERE t <= m.team_cash_fen + m.team_points_fen]) AS rank
WHERE rank > 0 AND size([t IN $tier_thresholds_fen WHERE t <= d.team_cash_fen + d.team_points_fen]) = rank
RETURN d.phone AS phone
ORDER BY phone
