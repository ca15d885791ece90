// A member's payout account, sealed and masked (both null when none is set; no row when no such member).
MATCH (m:Member {phone: $phone})
RETURN m.phone AS phone, m.payout_sealed AS sealed, m.payout_masked AS masked
