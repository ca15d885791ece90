// How many orders refunded from $refund_day still have their points in the pool.
MATCH (o:Order {refund_day: $refund_day})
WHERE o.refund_pending = true
RETURN count(o) AS pending
