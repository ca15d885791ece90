// Marks a live order refunded from $refund_day while the day before it settles: its amount leaves the member's own volume now, its points leave the pool once that day is settled.
MATCH (o:Order {order_id: $order_id, refunded: false})-[:PLACED_BY]->(m:Member)
SET o.refunded = true, o.refund_day = $refund_day, o.refund_pending = true, o.refunded_at_ms = $now_ms,
    m.own_cash_fen = m.own_cash_fen - (o.amount_fen - o.points_paid_fen),
    m.own_points_fen = m.own_points_fen - o.points_paid_fen,
    m.team_dirty = true
RETURN m.phone AS phone, o.amount_fen - o.points_paid_fen AS cash_fen, o.points_paid_fen AS points_fen
