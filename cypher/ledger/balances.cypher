// A member's available points (its credit from settlements included) and frozen points, in fen.
MATCH (m:Member {phone: $phone})
OPTIONAL MATCH (c:Credit {phone: $phone})
RETURN m.available_fen + coalesce(c.released_fen, 0) AS available_fen, m.frozen_fen AS frozen_fen
