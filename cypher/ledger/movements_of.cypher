// A page of one member's movements of available and frozen points before the position ($before_ms, $before_id), the latest first.
MATCH (m:Member {phone: $phone})<-[:FOR]-(mv:Movement)
WHERE mv.at_ms < $before_ms OR (mv.at_ms = $before_ms AND mv.id < $before_id)
RETURN mv.id AS id, mv.kind AS kind, mv.available_fen AS available_fen, mv.frozen_fen AS frozen_fen, mv.at_ms AS at_ms,
  mv.reference AS reference, mv.reason AS reason
ORDER BY at_ms DESC, id DESC
LIMIT $limit
