// Adds signed deltas to the team aggregates of every upline of a member; returns how many.
MATCH (:Member {phone: $phone})-[:SPONSORED_BY*1..]->(u:Member)
SET u.team_cash_fen = u.team_cash_fen + $cash_fen,
    u.team_points_fen = u.team_points_fen + $points_fen,
    u.team_size = u.team_size + $members
RETURN count(u) AS uplines
