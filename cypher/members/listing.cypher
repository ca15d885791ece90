// Members by phone with what a list shows: name, tier rank, team figures, direct referrals.
UNWIND $phones AS phone
MATCH (m:Member {phone: phone})
RETURN m.phone AS phone, m.name AS name,
  size([t IN $tier_thresholds_fen WHERE t <= m.team_cash_fen + m.team_points_fen]) AS tier_rank,
  m.team_cash_fen AS team_cash_fen, m.team_points_fen AS team_points_fen, m.team_size AS team_size,
  COUNT { (m)<-[:SPONSORED_BY]-(:Member) } AS direct_count
ORDER BY phone
