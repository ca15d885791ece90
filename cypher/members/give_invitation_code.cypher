// Gives a member stored before invitation codes existed this code, unless it has one; returns the member's code.
MATCH (m:Member {phone: $phone})
SET m.invitation_code = coalesce(m.invitation_code, $invitation_code)
RETURN m.invitation_code AS invitation_code
