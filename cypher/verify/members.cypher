// Every member's balances as stored: what intake and the ledger wrote on the member, and its credit from settlements.
MATCH (m:Member)
OPTIONAL MATCH (c:Credit {phone: m.phone})
RETURN m.phone AS phone, m.pool_fen AS granted_pool_fen, m.available_fen AS moved_fen,
  coalesce(c.released_fen, 0) AS credited_fen, m.frozen_fen AS frozen_fen
