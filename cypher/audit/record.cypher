// Records who did what to which target, and when, in the audit log.
CREATE (a:AuditEntry {id: $id, at_ms: $now_ms, actor: $actor, action: $action, target: $target, detail: $detail})
