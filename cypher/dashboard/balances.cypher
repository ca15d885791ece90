// The scheme's totals over every member: how many, points in pools, available, frozen.
MATCH (m:Member)
RETURN count(m) AS members, sum(m.pool_fen) AS pool_fen, sum(m.available_fen) AS available_fen, sum(m.frozen_fen) AS frozen_fen
