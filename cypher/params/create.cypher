// Records a new parameter version numbered one above the highest.
MATCH (p:ParamVersion)
WITH max(p.version) AS latest
CREATE (n:ParamVersion {version: latest + 1, effective_from: $effective_from, document: $document, created_at_ms: $now_ms})
RETURN n.version AS version
