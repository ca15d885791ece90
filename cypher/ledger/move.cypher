// Moves available and frozen points of a member and records the movement; no row if a balance
// would go negative or above $max_fen.
MATCH (m:Member {phone: $phone})
WHERE m.available_fen + $available_fen >= 0 AND m.frozen_fen + $frozen_fen >= 0
  AND m.available_fen + $available_fen <= $max_fen AND m.frozen_fen + $frozen_fen <= $max_fen
SET m.available_fen = m.available_fen + $available_fen, m.frozen_fen = m.frozen_fen + $frozen_fen
CREATE (mv:Movement {id: $id, kind: $kind, available_fen: $available_fen, frozen_fen: $frozen_fen,
  at_ms: $now_ms, reference: $reference, reason: $reason, actor: $actor})-[:FOR]->(m)
RETURN m.available_fen AS available_fen, m.frozen_fen AS frozen_fen
