// Up to $limit joined keys of members who joined before the one whose descending joined key is $after_desc ('' from the newest), in no promised order (read in the order of the descending index where the database can, so the newest): a floor for the page below.
MATCH (m:Member)
WHERE m.joined_desc > $after_desc
RETURN m.joined_key AS key
LIMIT $limit
