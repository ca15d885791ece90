// Constraint: one withdrawal per member and idempotency key (stored as PHONE|KEY; a repeated request replays it).
CREATE CONSTRAINT withdrawal_key IF NOT EXISTS FOR (w:Withdrawal) REQUIRE w.idempotency_key IS UNIQUE
