// Direct referrals of the same tier: by monotone team volume, the nearest same-tier members of every branch.
MATCH (m:Member {phone: $phone})<-[:SPONSORED_BY]-(d:Member)
MATCH (tm:Team {phone: m.phone})
MATCH (td:Team {phone: d.phone})
WITH d, size([x IN $tier_thresholds_fen WHERE x <= tm.team_cash_fen + tm.team_points_fen]) AS rank,
  size([x IN $tier_thresholds_fen WHERE x <= td.team_cash_fen + td.team_points_fen]) AS referral_rank
WHERE rank > 0 AND referral_rank = rank
RETURN d.phone AS phone
ORDER BY phone
