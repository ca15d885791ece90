// Extends the lease of a running day's claim while $owner still holds it; no row otherwise.
MATCH (s:Settlement {day: $day, status: 'running', owner: $owner})
SET s.lease_until_ms = $lease_until_ms
RETURN s.day AS day
