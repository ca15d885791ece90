// Gives members stored before the search by last digits their reversed phone; returns how many.
MATCH (m:Member)
WHERE m.phone_reversed IS NULL
SET m.phone_reversed = reverse(m.phone)
RETURN count(m) AS updated
