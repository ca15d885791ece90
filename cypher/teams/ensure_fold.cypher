// Creates the team fold's state if it is missing: the tree version (raised by every sponsor change), when it last folded, and its lease.
MERGE (f:TeamFold {name: 'teams'})
  ON CREATE SET f.tree_version = 0, f.folded_at_ms = $now_ms, f.owner = null, f.lease_until_ms = 0
RETURN f.tree_version AS tree_version
