// Marks the running day held by $owner settled when all its batches are done; no row otherwise.
MATCH (s:Settlement {day: $day, status: 'running', owner: $owner})
WHERE s.planned = true AND s.batches_done = s.batches_total
SET s.status = 'settled', s.settled_at_ms = $now_ms, s.lease_until_ms = null
RETURN s.day AS day
