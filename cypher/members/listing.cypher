// Members by phone with what a list shows: name, tier rank, team figures, direct referrals.
UNWIND $phones AS phone
MATCH (m:Member {phone: phone})
MATCH (t:Team {phone: phone})
RETURN m.phone AS phone, m.name AS name,
  size([x IN $tier_thresholds_fen WHERE x <= t.team_cash_fen + t.team_points_fen]) AS tier_rank,
  t.team_cash_fen AS team_cash_fen, t.team_points_fen AS team_points_fen, t.team_size AS team_size,
  COUNT { (m)<-[:SPONSORED_BY]-(:Member) } AS direct_count
ORDER BY phone
