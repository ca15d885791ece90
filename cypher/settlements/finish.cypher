// Marks the running day settled when all its batches are done; no row otherwise.
MATCH (s:Settlement {day: $day, status: 'running'})
WHERE s.batches_done = s.batches_total
SET s.status = 'settled', s.settled_at_ms = $now_ms
RETURN s.day AS day
