// Cancels a parameter version not cancelled yet; returns its number, or nothing when there is no such version to cancel.
MATCH (p:ParamVersion {version: $version})
WHERE p.cancelled_at_ms IS NULL
SET p.cancelled_at_ms = $now_ms, p.cancelled_by = $actor
RETURN p.version AS version
