// Up to $limit members in team-volume order, the largest first (equal volumes by phone, descending), whose volume key is below $before_key and at least $from_key: each one's key, phone and team volume in fen.
MATCH (t:Team)
WHERE t.volume_key < $before_key AND t.volume_key >= $from_key
RETURN t.volume_key AS key, t.phone AS phone, t.team_cash_fen + t.team_points_fen AS volume_fen
ORDER BY t.volume_key DESC
LIMIT $limit
