// Constraint: one member per phone number (also the index of every member lookup).
CREATE CONSTRAINT member_phone IF NOT EXISTS FOR (m:Member) REQUIRE m.phone IS UNIQUE
