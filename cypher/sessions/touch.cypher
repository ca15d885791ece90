// Marks a session as used now (the idle timeout counts from here).
MATCH (s:Session {id_hash: $id_hash})
SET s.seen_at_ms = $now_ms
