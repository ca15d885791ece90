// A member's available and frozen points, in fen.
MATCH (m:Member {phone: $phone})
RETURN m.available_fen AS available_fen, m.frozen_fen AS frozen_fen
