// How many members stand at each tier rank (0 = no tier) by their team volume.
MATCH (t:Team)
WITH size([x IN $tier_thresholds_fen WHERE x <= t.team_cash_fen + t.team_points_fen]) AS tier_rank
RETURN tier_rank, count(*) AS members
ORDER BY tier_rank
