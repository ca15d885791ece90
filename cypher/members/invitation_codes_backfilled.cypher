// The mark that every member stored before invitation codes has one, if the backfill set it.
MATCH (b:Backfill {name: 'invitation_codes'})
RETURN b.name AS name
