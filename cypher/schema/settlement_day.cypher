// Constraint: each business day has at most one settlement.
CREATE CONSTRAINT settlement_day IF NOT EXISTS FOR (s:Settlement) REQUIRE s.day IS UNIQUE
