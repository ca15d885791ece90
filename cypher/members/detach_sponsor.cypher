// Removes a member's sponsorship edge; returns the old sponsor's phone.
MATCH (m:Member {phone: $phone})-[r:SPONSORED_BY]->(s:Member)
DELETE r
RETURN s.phone AS sponsor_phone
