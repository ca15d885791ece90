// One day's settlement (running or settled) with its claim and totals.
MATCH (s:Settlement {day: $day})
RETURN s.day AS day, s.status AS status, s.owner AS owner, s.lease_until_ms AS lease_until_ms, s.planned AS planned,
  s.params_version AS params_version, s.batches_done AS batches_done,
  s.batches_total AS batches_total, s.batch_members AS batch_members, s.static_fen AS static, s.share_g1_fen AS share_g1,
  s.share_g2_fen AS share_g2, s.team_fen AS team, s.peer_fen AS peer, s.forfeited_fen AS forfeited,
  s.members_paid AS members_paid, s.statements AS statements, s.started_at_ms AS started_at_ms,
  s.settled_at_ms AS settled_at_ms
