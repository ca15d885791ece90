// The mark that every member stored before teams had nodes of their own has its Team node, if the split set it.
MATCH (b:Backfill {name: 'teams'})
RETURN b.name AS name
