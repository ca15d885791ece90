// Orders that start before $day and are refunded only from a later day (gone from their members' own volumes, still part of the day), with their member.
MATCH (o:Order)-[:PLACED_BY]->(m:Member)
WHERE o.refund_day > $day AND o.start_day < $day
RETURN m.phone AS phone, o.amount_fen AS amount_fen
