// The phone of some member, if there is any (whether the database already holds a network).
MATCH (m:Member)
RETURN m.phone AS phone
LIMIT 1
