// Constraint: one settlement credit total per member phone.
CREATE CONSTRAINT credit_phone IF NOT EXISTS FOR (c:Credit) REQUIRE c.phone IS UNIQUE
