// The phone of the member with this invitation code, if there is one.
MATCH (m:Member {invitation_code: $invitation_code})
RETURN m.phone AS phone
