// Raises the tree version (a sponsor changed): a fold computed on the tree as it was before commits nothing.
MATCH (f:TeamFold {name: 'teams'})
SET f.tree_version = f.tree_version + 1
RETURN f.tree_version AS tree_version
