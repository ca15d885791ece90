// Every member with its sponsor (null for the root): the tree the team fold walks up.
MATCH (m:Member)
OPTIONAL MATCH (m)-[:SPONSORED_BY]->(s:Member)
RETURN m.phone AS phone, s.phone AS sponsor_phone
