// Claims a day's run for $owner until $lease_until_ms, with the parameter version in force on it (the day's constraint refuses a second claim of the day).
CREATE (s:Settlement {day: $day, status: 'running', owner: $owner, lease_until_ms: $lease_until_ms, planned: false,
  params_version: $params_version, release_rate: $release_rate, batches_done: 0, batches_total: 0, batch_members: 0,
  static_fen: 0, share_g1_fen: 0, share_g2_fen: 0, team_fen: 0, peer_fen: 0, forfeited_fen: 0, members_paid: 0,
  statements: 0, started_at_ms: $now_ms, settled_at_ms: null})
RETURN s.day AS day
