// The session with this cookie hash: its hash (for the caller to compare), who it is, its CSRF token and its ages.
MATCH (s:Session {id_hash: $id_hash})
RETURN s.id_hash AS id_hash, s.kind AS kind, s.subject AS subject, s.csrf AS csrf, s.created_at_ms AS created_at_ms, s.seen_at_ms AS seen_at_ms
