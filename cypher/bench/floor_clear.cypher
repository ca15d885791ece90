// Deletes up to $limit of the rows an I/O floor measurement wrote; returns how many.
MATCH (f:FloorRow)
WITH f
LIMIT $limit
DELETE f
RETURN count(*) AS deleted
