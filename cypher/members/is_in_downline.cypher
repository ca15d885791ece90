// Whether member $candidate stands below member $phone (a sponsor change to it would make a cycle).
MATCH (:Member {phone: $candidate})-[:SPONSORED_BY*1..]->(:Member {phone: $phone})
RETURN count(*) > 0 AS below
