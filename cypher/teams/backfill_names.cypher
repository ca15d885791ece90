// Gives the team nodes of named members stored before the search read names there their lower-cased name; returns how many.
MATCH (m:Member)
WHERE m.name IS NOT NULL
MATCH (t:Team {phone: m.phone})
WHERE t.name_lower IS NULL
SET t.name_lower = toLower(m.name)
RETURN count(t) AS updated
