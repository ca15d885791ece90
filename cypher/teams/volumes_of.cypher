// The team volume in fen of each of these members, by phone.
UNWIND $phones AS phone
MATCH (t:Team {phone: phone})
RETURN phone, t.team_cash_fen + t.team_points_fen AS volume_fen
