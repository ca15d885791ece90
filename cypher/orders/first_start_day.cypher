// The earliest day an order takes part in a settlement (the smallest start day); null without orders.
MATCH (o:Order)
RETURN min(o.start_day) AS day
