// Whether any order was paid at or after an instant (a parameter version from then would change its grant).
MATCH (o:Order)
WHERE o.paid_at_ms >= $since_ms
RETURN count(o) > 0 AS any
