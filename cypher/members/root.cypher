// The phone of the root member, if the scheme has one.
MATCH (m:Member {root_key: 'root'})
RETURN m.phone AS phone
