// The uplines of one member, nearest first: the naive settlement's variable-length query per releasing member.
MATCH path = (m:Member {phone: $phone})-[:SPONSORED_BY*1..]->(u:Member)
RETURN u.phone AS phone, length(path) AS generation
ORDER BY generation
