// Up to $limit phones that end with the reverse of $reversed_suffix, in no promised order (a prefix scan of the reversed-phone index).
MATCH (m:Member)
WHERE m.phone_reversed STARTS WITH $reversed_suffix
RETURN m.phone AS phone
LIMIT $limit
