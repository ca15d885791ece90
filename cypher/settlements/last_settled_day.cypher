// The latest settled business day (YYYY-MM-DD), or null before the first settlement.
MATCH (s:Settlement {status: 'settled'})
RETURN max(s.day) AS day
