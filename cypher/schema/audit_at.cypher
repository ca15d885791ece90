// Index: the audit log in time order.
CREATE INDEX audit_at IF NOT EXISTS FOR (a:AuditEntry) ON (a.at_ms)
