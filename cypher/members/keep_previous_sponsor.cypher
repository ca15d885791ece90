// Records that a member's sponsor changes from $from_day, keeping the sponsor in force before it (kept already when another change from the same day came first).
MATCH (m:Member {phone: $phone})
SET m.previous_sponsor_phone = CASE WHEN m.sponsor_from_day = $from_day THEN m.previous_sponsor_phone ELSE $old_sponsor_phone END,
    m.sponsor_from_day = $from_day
