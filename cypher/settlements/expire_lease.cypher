// Gives up a running day's claim held by $owner at once, so that the next run takes it over without waiting.
MATCH (s:Settlement {day: $day, status: 'running', owner: $owner})
SET s.lease_until_ms = 0
