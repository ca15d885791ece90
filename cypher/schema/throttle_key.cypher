// Constraint: one throttle per key (an account or a client address with what it is for).
CREATE CONSTRAINT throttle_key IF NOT EXISTS FOR (t:Throttle) REQUIRE t.key IS UNIQUE
