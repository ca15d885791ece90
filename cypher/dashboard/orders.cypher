// How many orders the scheme has received, refunded ones included, how many were refunded, and how many were paid since $since_ms for how much.
MATCH (o:Order)
RETURN count(o) AS orders, sum(CASE WHEN o.refunded THEN 1 ELSE 0 END) AS refunded,
  sum(CASE WHEN o.paid_at_ms >= $since_ms THEN 1 ELSE 0 END) AS paid_since,
  sum(CASE WHEN o.paid_at_ms >= $since_ms THEN o.amount_fen ELSE 0 END) AS sales_since_fen
