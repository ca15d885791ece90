// The latest day settled or being settled (YYYY-MM-DD), or null before the first settlement: a running day counts, as it cannot take new orders or versions.
MATCH (s:Settlement)
RETURN max(s.day) AS day
