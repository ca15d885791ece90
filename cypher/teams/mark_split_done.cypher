// Sets the mark that every member stored before teams had nodes of their own has its Team node; returns it.
MERGE (b:Backfill {name: 'teams'})
RETURN b.name AS name
