// Records a new parameter version numbered one above the highest (cancelled ones count: numbers are never reused).
MATCH (p:ParamVersion)
WITH max(p.version) AS latest
CREATE (n:ParamVersion {version: latest + 1, effective_from: $effective_from, document: $document, created_at_ms: $now_ms,
                        created_by: $actor, approved_by: $actor})
RETURN n.version AS version
