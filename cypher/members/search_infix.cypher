// Up to $limit phones holding $digits anywhere (middle digits), in no promised order: a scan of every member that stops at the limit.
MATCH (m:Member)
WHERE m.phone CONTAINS $digits
RETURN m.phone AS phone
LIMIT $limit
