// Moves available and frozen points of a member (its credit from settlements included in available) and records the movement; no row if a balance would go negative or above $max_fen.
MATCH (m:Member {phone: $phone})
OPTIONAL MATCH (c:Credit {phone: $phone})
WITH m, m.available_fen + coalesce(c.released_fen, 0) + $available_fen AS available_after, m.frozen_fen + $frozen_fen AS frozen_after
WHERE available_after >= 0 AND frozen_after >= 0 AND available_after <= $max_fen AND frozen_after <= $max_fen
SET m.available_fen = m.available_fen + $available_fen, m.frozen_fen = frozen_after
CREATE (mv:Movement {id: $id, kind: $kind, available_fen: $available_fen, frozen_fen: $frozen_fen,
  at_ms: $now_ms, reference: $reference, reason: $reason, actor: $actor})-[:FOR]->(m)
RETURN available_after AS available_fen, frozen_after AS frozen_fen
