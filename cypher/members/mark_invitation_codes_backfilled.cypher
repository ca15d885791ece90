// Sets the mark that every member stored before invitation codes has one; returns it.
MERGE (b:Backfill {name: 'invitation_codes'})
RETURN b.name AS name
