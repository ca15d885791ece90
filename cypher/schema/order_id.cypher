// Constraint: the mall's order id is unique (idempotent intake).
CREATE CONSTRAINT order_id IF NOT EXISTS FOR (o:Order) REQUIRE o.order_id IS UNIQUE
