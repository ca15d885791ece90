// Phones that end with the reverse of $reversed_suffix (a prefix scan of the reversed-phone index).
MATCH (m:Member)
WHERE m.phone_reversed STARTS WITH $reversed_suffix
RETURN m.phone AS phone
ORDER BY m.phone_reversed
LIMIT $limit
