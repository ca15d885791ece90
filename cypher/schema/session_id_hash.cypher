// Constraint: a session is found by the hash of its cookie.
CREATE CONSTRAINT session_id_hash IF NOT EXISTS FOR (s:Session) REQUIRE s.id_hash IS UNIQUE
