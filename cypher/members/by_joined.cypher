// Up to $limit members in the order they joined, the newest first (equal instants by phone, descending), whose joined key is below $before_key and at least $from_key: each one's key, phone and team volume in fen.
MATCH (m:Member)
WHERE m.joined_key < $before_key AND m.joined_key >= $from_key
WITH m
ORDER BY m.joined_key DESC
LIMIT $limit
MATCH (t:Team {phone: m.phone})
RETURN m.joined_key AS key, m.phone AS phone, t.team_cash_fen + t.team_points_fen AS volume_fen
ORDER BY key DESC
