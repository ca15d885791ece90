// Phones that begin with $prefix, in order, after $after (an index range scan).
MATCH (m:Member)
WHERE m.phone STARTS WITH $prefix AND m.phone > $after
RETURN m.phone AS phone
ORDER BY phone
LIMIT $limit
