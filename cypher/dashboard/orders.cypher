// How many orders the scheme has received, refunded ones included, and how many were refunded.
MATCH (o:Order)
RETURN count(o) AS orders, sum(CASE WHEN o.refunded THEN 1 ELSE 0 END) AS refunded
