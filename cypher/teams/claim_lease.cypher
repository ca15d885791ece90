// Gives the folding lease to $owner until $lease_until_ms when it holds it or the lease has expired; no row while another holds it.
MATCH (f:TeamFold {name: 'teams'})
WHERE f.owner = $owner OR f.owner IS NULL OR f.lease_until_ms < $now_ms
SET f.owner = $owner, f.lease_until_ms = $lease_until_ms
RETURN f.tree_version AS tree_version
