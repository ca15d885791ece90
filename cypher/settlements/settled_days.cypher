// The settled days in order, each with the release rate it was settled with.
MATCH (s:Settlement {status: 'settled'})
RETURN s.day AS day, s.release_rate AS release_rate
ORDER BY day
