// Every member with its sponsor, the sponsor in force before a change that takes effect from sponsor_from_day, and its own volume (all its live orders).
MATCH (m:Member)
OPTIONAL MATCH (m)-[:SPONSORED_BY]->(s:Member)
RETURN m.phone AS phone, s.phone AS sponsor_phone, m.previous_sponsor_phone AS previous_sponsor_phone,
  m.sponsor_from_day AS sponsor_from_day, m.own_cash_fen + m.own_points_fen AS own_fen
