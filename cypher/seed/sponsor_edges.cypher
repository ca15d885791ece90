// Places a batch of (already written) members under their (already written) sponsors; returns how many edges it created.
UNWIND $rows AS r
MATCH (m:Member {phone: r.phone})
MATCH (s:Member {phone: r.sponsor_phone})
CREATE (m)-[:SPONSORED_BY]->(s)
RETURN count(*) AS created
