// Counts batch $batch of the running day held by $owner as done and extends the lease; no row unless exactly $batch batches were done before.
MATCH (s:Settlement {day: $day, status: 'running', owner: $owner})
WHERE s.batches_done = $batch
SET s.batches_done = $batch + 1, s.lease_until_ms = $lease_until_ms
RETURN s.day AS day
