// Every member with its sponsor's phone and its own volume (all its live orders, cash and points).
MATCH (m:Member)
OPTIONAL MATCH (m)-[:SPONSORED_BY]->(s:Member)
RETURN m.phone AS phone, s.phone AS sponsor_phone, m.own_cash_fen + m.own_points_fen AS own_fen
