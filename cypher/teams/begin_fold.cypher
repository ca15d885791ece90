// Records a fold at $now_ms if the tree is still at $tree_version (no sponsor changed since the folder read it); no row otherwise.
MATCH (f:TeamFold {name: 'teams'})
WHERE f.tree_version = $tree_version
SET f.folded_at_ms = $now_ms
RETURN f.tree_version AS tree_version
