// Sets a member's payout account (sealed, and masked for showing); returns the phone (no row when no such member).
MATCH (m:Member {phone: $phone})
SET m.payout_sealed = $sealed, m.payout_masked = $masked
RETURN m.phone AS phone
