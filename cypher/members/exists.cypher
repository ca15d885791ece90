// The phone of the member with this phone, if there is one (an existence check).
MATCH (m:Member {phone: $phone})
RETURN m.phone AS phone
