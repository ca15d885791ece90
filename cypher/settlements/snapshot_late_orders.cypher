// Live orders paid at or after an instant (not yet in that day's volumes), with their member.
MATCH (o:Order)-[:PLACED_BY]->(m:Member)
WHERE o.paid_at_ms >= $from_ms AND o.refunded = false
RETURN m.phone AS phone, o.amount_fen AS amount_fen
