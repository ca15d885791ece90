// Gives the teams stored before the member list their volume key (the volume in fen, 16 digits, then the phone); returns how many.
MATCH (t:Team)
WHERE t.volume_key IS NULL
SET t.volume_key = right('0000000000000000' + toString(t.team_cash_fen + t.team_points_fen), 16) + t.phone
RETURN count(t) AS updated
