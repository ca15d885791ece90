// Constraint: at most one member carries the root marker, so a scheme has one root.
CREATE CONSTRAINT member_root IF NOT EXISTS FOR (m:Member) REQUIRE m.root_key IS UNIQUE
