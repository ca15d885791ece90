// Creates a batch of orders, each placed by its (already written) member, whose own volume already counts it, granting into its pool; returns how many.
UNWIND $rows AS r
MATCH (m:Member {phone: r.phone})
CREATE (o:Order {order_id: r.order_id, amount_fen: r.amount_fen, points_paid_fen: r.points_paid_fen,
  paid_at_ms: r.paid_at_ms, start_day: r.start_day, granted_fen: r.granted_fen, released_fen: 0, remaining_fen: r.granted_fen,
  remaining_day: null, refunded: false, refund_day: null, refund_pending: false, refunded_fen: 0,
  created_at_ms: r.created_at_ms, request_hash: r.request_hash})-[:PLACED_BY]->(m)
SET m.pool_fen = m.pool_fen + r.granted_fen
RETURN count(o) AS created
