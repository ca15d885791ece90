// Constraint: one member per invitation code (also the index of the sponsor lookup of an invitation link).
CREATE CONSTRAINT member_invitation_code IF NOT EXISTS FOR (m:Member) REQUIRE m.invitation_code IS UNIQUE
