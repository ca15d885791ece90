// Gives each member of the batch its new invitation code unless it has one by now; returns how many got one.
UNWIND $rows AS r
MATCH (m:Member {phone: r.phone})
WHERE m.invitation_code IS NULL
SET m.invitation_code = r.invitation_code
RETURN count(m) AS updated
