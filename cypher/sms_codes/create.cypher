// Keeps a new code of a phone for a purpose, only as the SHA-256 of its salt and digits.
CREATE (c:SmsCode {id: $id, phone: $phone, purpose: $purpose, salt: $salt, hash: $hash,
  created_at_ms: $now_ms, expires_at_ms: $expires_at_ms, tries: 0, uses: 0})
