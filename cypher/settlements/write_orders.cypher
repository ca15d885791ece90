// Writes the figures after $day of orders an accelerated release was paid out of, keeping the figures from before.
UNWIND $rows AS r
MATCH (o:Order {order_id: r.order_id})
SET o.prev_remaining_fen = o.remaining_fen, o.prev_remaining_day = o.remaining_day,
    o.remaining_fen = r.remaining_fen, o.released_fen = r.released_fen, o.remaining_day = $day
RETURN count(o) AS written
