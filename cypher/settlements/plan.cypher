// Records the computed totals and batch count of a running day held by $owner once its batches are stored; no row otherwise.
MATCH (s:Settlement {day: $day, status: 'running', owner: $owner, planned: false})
SET s.planned = true, s.batches_total = $batches_total, s.batch_members = $batch_members, s.static_fen = $static_fen,
  s.share_g1_fen = $share_g1_fen, s.share_g2_fen = $share_g2_fen, s.team_fen = $team_fen, s.peer_fen = $peer_fen,
  s.forfeited_fen = $forfeited_fen, s.members_paid = $members_paid, s.statements = $statements
RETURN s.day AS day
