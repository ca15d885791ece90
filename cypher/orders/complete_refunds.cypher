// Takes the points of pending refunds out of their pools, with each order's figures after the day just settled (an order no longer pending is left as it is).
UNWIND $rows AS r
MATCH (o:Order {order_id: r.order_id})-[:PLACED_BY]->(m:Member)
WHERE o.refund_pending = true
SET o.refund_pending = false, o.refunded_fen = r.remaining_fen, o.remaining_fen = 0,
    o.released_fen = o.granted_fen - r.remaining_fen, o.remaining_day = r.settled_day,
    m.pool_fen = m.pool_fen - r.remaining_fen
