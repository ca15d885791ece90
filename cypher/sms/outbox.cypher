// A page of the development sender's outbox, the latest first, before ($before_ms, $before_id).
MATCH (s:SmsMessage)
WHERE $before_ms IS NULL OR s.at_ms < $before_ms OR (s.at_ms = $before_ms AND s.id < $before_id)
RETURN s.id AS id, s.at_ms AS at_ms, s.phone AS phone, s.purpose AS purpose, s.text AS text
ORDER BY at_ms DESC, id DESC
LIMIT $limit
