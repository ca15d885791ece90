// Creates version 1 (the defaults, in force from the beginning) if the scheme has no parameters yet.
MERGE (p:ParamVersion {version: 1})
ON CREATE SET p.effective_from = $effective_from, p.document = $document, p.created_at_ms = $now_ms
