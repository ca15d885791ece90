// The scheme's totals over every member: how many (and how many joined since $since_ms), points in pools, available, frozen (settlement credits moved from pools to available).
MATCH (m:Member)
WITH count(m) AS members, sum(CASE WHEN m.created_at_ms >= $since_ms THEN 1 ELSE 0 END) AS joined_since,
  sum(m.pool_fen) AS granted_fen, sum(m.available_fen) AS moved_fen, sum(m.frozen_fen) AS frozen_fen
OPTIONAL MATCH (c:Credit)
WITH members, joined_since, granted_fen, moved_fen, frozen_fen, coalesce(sum(c.released_fen), 0) AS released_fen
RETURN members, joined_since, granted_fen - released_fen AS pool_fen, moved_fen + released_fen AS available_fen, frozen_fen
