// Records an order for a member and adds it to the member's pool and own volume (for the team fold to count); returns the order as orders/get does, no row when the member does not exist.
MATCH (m:Member {phone: $phone})
CREATE (o:Order {order_id: $order_id, amount_fen: $amount_fen, points_paid_fen: $points_paid_fen,
  paid_at_ms: $paid_at_ms, start_day: $start_day, granted_fen: $granted_fen, released_fen: 0, remaining_fen: $granted_fen,
  remaining_day: null, refunded: false, refund_day: null, refund_pending: false, refunded_fen: 0, created_at_ms: $now_ms,
  request_hash: $request_hash, created_by: $created_by})-[:PLACED_BY]->(m)
SET m.pool_fen = m.pool_fen + $granted_fen,
    m.own_cash_fen = m.own_cash_fen + $amount_fen - $points_paid_fen,
    m.own_points_fen = m.own_points_fen + $points_paid_fen,
    m.team_dirty = true
RETURN o.order_id AS order_id, m.phone AS phone, o.amount_fen AS amount_fen, o.points_paid_fen AS points_paid_fen,
  o.paid_at_ms AS paid_at_ms, o.start_day AS start_day, o.granted_fen AS granted_fen, o.released_fen AS released_fen,
  o.remaining_fen AS remaining_fen, o.remaining_day AS remaining_day, o.refunded AS refunded,
  o.refund_day AS refund_day, o.refund_pending AS refund_pending,
  o.refunded_fen AS refunded_fen, o.refunded_at_ms AS refunded_at_ms, o.request_hash AS request_hash
