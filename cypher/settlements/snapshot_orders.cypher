// Orders taking part in $day that may still hold points (start before it, not refunded by it), with their figures as last written (and as kept before $day).
MATCH (o:Order)-[:PLACED_BY]->(m:Member)
WHERE o.start_day < $day AND (o.refunded = false OR o.refund_day > $day) AND (o.remaining_fen > 0 OR o.remaining_day = $day)
RETURN m.phone AS phone, o.order_id AS order_id, o.amount_fen AS amount_fen, o.paid_at_ms AS paid_at_ms,
  o.start_day AS start_day, o.granted_fen AS granted_fen, o.remaining_fen AS remaining_fen, o.remaining_day AS remaining_day,
  o.prev_remaining_fen AS prev_remaining_fen, o.prev_remaining_day AS prev_remaining_day
