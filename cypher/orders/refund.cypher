// Marks a live order refunded from $refund_day: what remained after the latest settled day leaves the pool, its amount the member's own volume.
MATCH (o:Order {order_id: $order_id, refunded: false})-[:PLACED_BY]->(m:Member)
SET o.refunded = true, o.refund_day = $refund_day, o.refund_pending = false, o.refunded_at_ms = $now_ms,
    o.refunded_fen = $remaining_fen, o.remaining_fen = 0,
    o.released_fen = o.granted_fen - $remaining_fen, o.remaining_day = $settled_day,
    m.pool_fen = m.pool_fen - $remaining_fen,
    m.own_cash_fen = m.own_cash_fen - (o.amount_fen - o.points_paid_fen),
    m.own_points_fen = m.own_points_fen - o.points_paid_fen,
    m.team_dirty = true
RETURN m.phone AS phone, o.amount_fen - o.points_paid_fen AS cash_fen, o.points_paid_fen AS points_fen
