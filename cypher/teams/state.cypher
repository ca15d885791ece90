// The team fold's state: the tree version, when the aggregates were last brought up to date, and how many members wait to be counted.
MATCH (f:TeamFold {name: 'teams'})
OPTIONAL MATCH (m:Member {team_dirty: true})
RETURN f.tree_version AS tree_version, f.folded_at_ms AS folded_at_ms, count(m) AS waiting
