// Creates the root of a seeded network with its precomputed team aggregates (everything counted); returns its phone.
WITH right('0000000000000' + toString($created_at_ms), 13) + $phone AS joined_key
CREATE (m:Member {phone: $phone, phone_reversed: reverse($phone), invitation_code: $invitation_code, name: null, password_hash: null, root_key: 'root',
  created_at_ms: $created_at_ms, joined_key: joined_key,
  joined_desc: reduce(d = '', c IN split(joined_key, '') | d + toString(9 - toInteger(c))), own_cash_fen: $own_cash_fen, own_points_fen: $own_points_fen, team_dirty: false,
  pool_fen: 0, available_fen: 0, frozen_fen: 0})
CREATE (:Team {phone: $phone, volume_key: right('0000000000000000' + toString($team_cash_fen + $team_points_fen), 16) + $phone, team_cash_fen: $team_cash_fen, team_points_fen: $team_points_fen, team_size: $team_size,
  counted_cash_fen: $own_cash_fen, counted_points_fen: $own_points_fen, counted_self: true})
RETURN m.phone AS phone
