// One order with its member and its figures as last written (remaining_day: the day they hold after, null before any).
MATCH (o:Order {order_id: $order_id})-[:PLACED_BY]->(m:Member)
RETURN o.order_id AS order_id, m.phone AS phone, o.amount_fen AS amount_fen, o.points_paid_fen AS points_paid_fen,
  o.paid_at_ms AS paid_at_ms, o.start_day AS start_day, o.granted_fen AS granted_fen, o.released_fen AS released_fen,
  o.remaining_fen AS remaining_fen, o.remaining_day AS remaining_day, o.refunded AS refunded,
  o.refund_day AS refund_day, o.refund_pending AS refund_pending,
  o.refunded_fen AS refunded_fen, o.refunded_at_ms AS refunded_at_ms, o.request_hash AS request_hash
