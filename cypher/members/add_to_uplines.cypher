// Adds signed deltas to the team aggregates of every upline of a member (a sponsor change moves what the team fold has counted); returns how many.
MATCH (:Member {phone: $phone})-[:SPONSORED_BY*1..]->(u:Member)
MATCH (t:Team {phone: u.phone})
SET t.team_cash_fen = t.team_cash_fen + $cash_fen,
    t.team_points_fen = t.team_points_fen + $points_fen,
    t.team_size = t.team_size + $members
SET t.volume_key = right('0000000000000000' + toString(t.team_cash_fen + t.team_points_fen), 16) + t.phone
RETURN count(t) AS uplines
