// Records the computed totals and batch count of a running day held by $owner once its batches are stored; no row otherwise.
MATCH (s:Settlement {day: $day, status: 'running', owner: $owner, planned: false})
SET s.planned = true, s.batches_total = $batches_total, s.batch_members = $batch_members, s.static_fen = $amounts.static,
  s.share_g1_fen = $amounts.share_g1, s.share_g2_fen = $amounts.share_g2, s.team_fen = $amounts.team, s.peer_fen = $amounts.peer,
  s.forfeited_fen = $amounts.forfeited, s.members_paid = $members_paid, s.statements = $statements
RETURN s.day AS day
