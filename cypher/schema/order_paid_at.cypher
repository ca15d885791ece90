// Index: orders by payment time (settlement reads, checks on a day's orders).
CREATE INDEX order_paid_at IF NOT EXISTS FOR (o:Order) ON (o.paid_at_ms)
