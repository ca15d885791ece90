// The phones of up to $limit members without an invitation code (stored before invitation codes existed).
MATCH (m:Member)
WHERE m.invitation_code IS NULL
RETURN m.phone AS phone
LIMIT $limit
