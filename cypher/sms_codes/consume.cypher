// Uses up a code of a phone; returns how many times it has now been used (anything but 1: someone else was first).
MATCH (c:SmsCode {phone: $phone})
WHERE c.id = $id
SET c.uses = c.uses + 1
RETURN c.uses AS uses
