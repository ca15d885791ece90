// Counts batch $batch of the running day as done; no row unless exactly $batch batches were done before.
MATCH (s:Settlement {day: $day, status: 'running'})
WHERE s.batches_done = $batch
SET s.batches_done = $batch + 1
RETURN s.day AS day
