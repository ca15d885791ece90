// The I/O floor of a batch of statements: the same rows created as plain nodes, nothing matched, merged or computed; returns how many.
UNWIND $rows AS r
CREATE (f:FloorRow {key: r.key, day: $day, phone: r.phone, static_fen: r.static, share_g1_fen: r.share_g1,
  share_g2_fen: r.share_g2, team_fen: r.team, peer_fen: r.peer, forfeited_fen: r.forfeited,
  tier_rank: r.tier_rank, team_volume_fen: r.team_volume_fen, pool_after_fen: 0, available_after_fen: 0, branches: r.branches})
RETURN count(f) AS written
