// Records the start of a day's run with its totals (the day's constraint refuses a second run of the day).
CREATE (s:Settlement {day: $day, status: 'running', params_version: $params_version, release_rate: $release_rate,
  batches_done: 0, batches_total: $batches_total, batch_members: $batch_members, static_fen: $static_fen, share_g1_fen: $share_g1_fen,
  share_g2_fen: $share_g2_fen, team_fen: $team_fen, peer_fen: $peer_fen, forfeited_fen: $forfeited_fen,
  members_paid: $members_paid, statements: $statements, started_at_ms: $now_ms, settled_at_ms: null})
