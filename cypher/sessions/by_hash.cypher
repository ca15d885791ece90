// The session with this cookie hash: who it is, its CSRF token and its ages.
MATCH (s:Session {id_hash: $id_hash})
RETURN s.kind AS kind, s.subject AS subject, s.csrf AS csrf, s.created_at_ms AS created_at_ms, s.seen_at_ms AS seen_at_ms
