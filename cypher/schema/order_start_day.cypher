// Index: orders by start day (the late orders a day's snapshot leaves out).
CREATE INDEX order_start_day IF NOT EXISTS FOR (o:Order) ON (o.start_day)
