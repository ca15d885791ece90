// Constraint: one team aggregate per member phone.
CREATE CONSTRAINT team_phone IF NOT EXISTS FOR (t:Team) REQUIRE t.phone IS UNIQUE
