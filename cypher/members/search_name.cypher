// Up to $limit phones of members whose name holds $name (lower case) whatever its case, in no promised order: a scan that stops at the limit.
MATCH (m:Member)
WHERE m.name IS NOT NULL AND toLower(m.name) CONTAINS $name
RETURN m.phone AS phone
LIMIT $limit
