// Places a member under a sponsor; returns the sponsor's phone.
MATCH (m:Member {phone: $phone})
MATCH (s:Member {phone: $sponsor_phone})
CREATE (m)-[:SPONSORED_BY]->(s)
RETURN s.phone AS sponsor_phone
