// Gives the members stored before the joined list was probed in index order their descending joined key (each digit of the joined key taken from 9); returns how many.
MATCH (m:Member)
WHERE m.joined_desc IS NULL AND m.joined_key IS NOT NULL
SET m.joined_desc = reduce(d = '', c IN split(m.joined_key, '') | d + toString(9 - toInteger(c)))
RETURN count(m) AS updated
