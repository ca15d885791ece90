// The stored password hash of the member with this phone (null when it has none); no row when no such member.
MATCH (m:Member {phone: $phone})
RETURN m.phone AS phone, m.password_hash AS password_hash
