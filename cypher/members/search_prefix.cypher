// Up to $limit phones that begin with $prefix, in no promised order (sorting every match would cost more than the page may take).
MATCH (m:Member)
WHERE m.phone STARTS WITH $prefix
RETURN m.phone AS phone
LIMIT $limit
