// Per member, the sums of its ledger movements.
MATCH (mv:Movement)-[:FOR]->(m:Member)
RETURN m.phone AS phone, sum(mv.available_fen) AS available_fen, sum(mv.frozen_fen) AS frozen_fen
