// Takes over a running day's claim from the owner and lease seen, for $owner until $lease_until_ms; no row when someone else took it first.
MATCH (s:Settlement {day: $day, status: 'running'})
WHERE s.owner = $seen_owner AND s.lease_until_ms = $seen_lease_until_ms
SET s.owner = $owner, s.lease_until_ms = $lease_until_ms
RETURN s.day AS day
