// Up to $limit phones of members whose name holds $name (lower case) whatever its case, in no promised order: a scan of the team nodes, which keep the name lower-cased, that stops at the limit.
MATCH (t:Team)
WHERE t.name_lower CONTAINS $name
RETURN t.phone AS phone
LIMIT $limit
