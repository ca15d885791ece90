// Live orders that start on or after $day (counted in their members' own volumes, not part of the day), with their member.
MATCH (o:Order)-[:PLACED_BY]->(m:Member)
WHERE o.start_day >= $day AND o.refunded = false
RETURN m.phone AS phone, o.amount_fen AS amount_fen
