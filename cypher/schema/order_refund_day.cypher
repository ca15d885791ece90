// Index: refunded orders by the day their refund counts from (refunds still pending, refunds after a fence).
CREATE INDEX order_refund_day IF NOT EXISTS FOR (o:Order) ON (o.refund_day)
