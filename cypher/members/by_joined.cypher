// Up to $limit members in the order they joined, the newest first (equal instants by phone, descending), whose joined key is below $before_key and at least $from_key: each one's key and phone (their team volumes are read apart: this database plans the team lookup after the sort as a scan).
MATCH (m:Member)
WHERE m.joined_key < $before_key AND m.joined_key >= $from_key
RETURN m.joined_key AS key, m.phone AS phone
ORDER BY key DESC
LIMIT $limit
