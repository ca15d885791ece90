// Every parameter version, oldest first.
MATCH (p:ParamVersion)
RETURN p.version AS version, p.effective_from AS effective_from, p.document AS document, p.created_at_ms AS created_at_ms
ORDER BY p.version
