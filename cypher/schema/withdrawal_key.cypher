// Constraint: one withdrawal per idempotency key (a repeated request replays it).
CREATE CONSTRAINT withdrawal_key IF NOT EXISTS FOR (w:Withdrawal) REQUIRE w.idempotency_key IS UNIQUE
