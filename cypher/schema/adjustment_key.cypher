// Constraint: an adjustment's idempotency key is used once per member (key: phone|key).
CREATE CONSTRAINT adjustment_key IF NOT EXISTS FOR (k:AdjustmentKey) REQUIRE k.key IS UNIQUE
