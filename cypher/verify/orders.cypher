// Every order with its member and its figures as last written.
MATCH (o:Order)-[:PLACED_BY]->(m:Member)
RETURN m.phone AS phone, o.order_id AS order_id, o.amount_fen AS amount_fen, o.points_paid_fen AS points_paid_fen,
  o.start_day AS start_day,
  o.granted_fen AS granted_fen, o.released_fen AS released_fen, o.remaining_fen AS remaining_fen,
  o.remaining_day AS remaining_day, o.refunded AS refunded, o.refund_pending AS refund_pending, o.refunded_fen AS refunded_fen
