// Creates a member under an existing sponsor, with an empty team that the team fold has yet to count it in; no row when the sponsor does not exist.
MATCH (s:Member {phone: $sponsor_phone})
WITH s, right('0000000000000' + toString($now_ms), 13) + $phone AS joined_key
CREATE (m:Member {phone: $phone, phone_reversed: reverse($phone), invitation_code: $invitation_code, name: $name, password_hash: $password_hash,
  created_at_ms: $now_ms, joined_key: joined_key,
  joined_desc: reduce(d = '', c IN split(joined_key, '') | d + toString(9 - toInteger(c))), own_cash_fen: 0, own_points_fen: 0, team_dirty: true,
  pool_fen: 0, available_fen: 0, frozen_fen: 0})-[:SPONSORED_BY]->(s)
CREATE (:Team {phone: $phone, name_lower: toLower($name), volume_key: '0000000000000000' + $phone, team_cash_fen: 0, team_points_fen: 0, team_size: 0, counted_cash_fen: 0, counted_points_fen: 0, counted_self: false})
RETURN m.phone AS phone
