// Opens a session of an admin or a member, stored by the hash of its cookie, with its CSRF token.
CREATE (s:Session {id_hash: $id_hash, kind: $kind, subject: $subject, csrf: $csrf,
  created_at_ms: $now_ms, seen_at_ms: $now_ms})
