// How many members stand at each tier rank (0 = no tier) by their team volume.
MATCH (m:Member)
WITH size([t IN $tier_thresholds_fen WHERE t <= m.team_cash_fen + m.team_points_fen]) AS tier_rank
RETURN tier_rank, count(*) AS members
ORDER BY tier_rank
