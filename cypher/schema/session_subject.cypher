// Index: the sessions of an admin or a member (ended together when a password changes).
CREATE INDEX session_subject IF NOT EXISTS FOR (s:Session) ON (s.subject)
