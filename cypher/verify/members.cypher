// Every member's balances as stored.
MATCH (m:Member)
RETURN m.phone AS phone, m.pool_fen AS pool_fen, m.available_fen AS available_fen, m.frozen_fen AS frozen_fen
