// The I/O floor of a batch of order writes: the same rows created as plain nodes; returns how many.
UNWIND $rows AS r
CREATE (f:FloorRow {order_id: r.order_id, remaining_fen: r.remaining_fen, released_fen: r.released_fen})
RETURN count(f) AS written
