// Constraint: ledger movements have unique ids.
CREATE CONSTRAINT movement_id IF NOT EXISTS FOR (mv:Movement) REQUIRE mv.id IS UNIQUE
