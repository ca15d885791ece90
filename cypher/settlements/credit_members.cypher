// Adds each member's release of the day to its credit (all that settlements moved from its pool to available) and records the statement with the balances after it.
UNWIND $rows AS r
MATCH (m:Member {phone: r.phone})
MERGE (c:Credit {phone: r.phone})
  ON CREATE SET c.released_fen = 0
SET c.released_fen = c.released_fen + r.released_fen
CREATE (st:Statement {key: r.key, day: $day, phone: r.phone, static_fen: r.static, share_g1_fen: r.share_g1,
  share_g2_fen: r.share_g2, team_fen: r.team, peer_fen: r.peer, forfeited_fen: r.forfeited,
  tier_rank: r.tier_rank, team_volume_fen: r.team_volume_fen, pool_after_fen: m.pool_fen - c.released_fen,
  available_after_fen: m.available_fen + c.released_fen, branches: r.branches})
RETURN count(st) AS written
