// Moves the team aggregates of up to $limit members stored before teams had nodes of their own onto a Team node (all their own volume counted); returns how many.
MATCH (m:Member)
WHERE m.team_size IS NOT NULL
WITH m
LIMIT $limit
CREATE (t:Team {phone: m.phone, team_cash_fen: m.team_cash_fen, team_points_fen: m.team_points_fen, team_size: m.team_size,
  counted_cash_fen: m.own_cash_fen, counted_points_fen: m.own_points_fen, counted_self: true})
SET m.team_dirty = false
REMOVE m.team_cash_fen, m.team_points_fen, m.team_size
RETURN count(t) AS moved
