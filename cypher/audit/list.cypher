// A page of the audit log, the latest first, before the entry ($before_ms, $before_id) when given.
MATCH (a:AuditEntry)
WHERE $before_ms IS NULL OR a.at_ms < $before_ms OR (a.at_ms = $before_ms AND a.id < $before_id)
RETURN a.id AS id, a.at_ms AS at_ms, a.actor AS actor, a.action AS action, a.target AS target, a.detail AS detail
ORDER BY at_ms DESC, id DESC
LIMIT $limit
