// A page of the audit log, the latest first, before the entry ($before_ms, $before_id) when given, of the actor, action, target and time span asked for (each when given).
MATCH (a:AuditEntry)
WHERE ($before_ms IS NULL OR a.at_ms < $before_ms OR (a.at_ms = $before_ms AND a.id < $before_id))
  AND ($from_ms IS NULL OR a.at_ms >= $from_ms)
  AND ($until_ms IS NULL OR a.at_ms < $until_ms)
  AND ($action IS NULL OR a.action = $action)
  AND ($actor IS NULL OR a.actor = $actor OR a.actor ENDS WITH $actor_suffix)
  AND ($target IS NULL OR a.target = $target)
RETURN a.id AS id, a.at_ms AS at_ms, a.actor AS actor, a.action AS action, a.target AS target, a.detail AS detail
ORDER BY at_ms DESC, id DESC
LIMIT $limit
