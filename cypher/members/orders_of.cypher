// A page of a member's orders, the latest paid first, after the position ($after_ms, $after_id), with their figures as last written (as orders/get).
MATCH (o:Order)-[:PLACED_BY]->(m:Member {phone: $phone})
WHERE $after_ms IS NULL OR o.paid_at_ms < $after_ms OR (o.paid_at_ms = $after_ms AND o.order_id < $after_id)
RETURN o.order_id AS order_id, m.phone AS phone, o.amount_fen AS amount_fen, o.points_paid_fen AS points_paid_fen,
  o.paid_at_ms AS paid_at_ms, o.start_day AS start_day, o.granted_fen AS granted_fen, o.released_fen AS released_fen,
  o.remaining_fen AS remaining_fen, o.remaining_day AS remaining_day, o.refunded AS refunded,
  o.refund_day AS refund_day, o.refund_pending AS refund_pending,
  o.refunded_fen AS refunded_fen, o.refunded_at_ms AS refunded_at_ms, o.request_hash AS request_hash
ORDER BY paid_at_ms DESC, order_id DESC
LIMIT $limit
