// Every parameter version, oldest first, with who proposed, approved and cancelled it.
MATCH (p:ParamVersion)
RETURN p.version AS version, p.effective_from AS effective_from, p.document AS document, p.created_at_ms AS created_at_ms,
       p.created_by AS created_by, p.approved_by AS approved_by, p.cancelled_at_ms AS cancelled_at_ms, p.cancelled_by AS cancelled_by
ORDER BY p.version
