// Creates the root member with an empty team (the root marker makes a second root fail its constraint).
CREATE (m:Member {phone: $phone, phone_reversed: reverse($phone), invitation_code: $invitation_code, name: $name, password_hash: $password_hash, root_key: 'root',
  created_at_ms: $now_ms, joined_key: right('0000000000000' + toString($now_ms), 13) + $phone, own_cash_fen: 0, own_points_fen: 0, team_dirty: true,
  pool_fen: 0, available_fen: 0, frozen_fen: 0})
CREATE (:Team {phone: $phone, volume_key: '0000000000000000' + $phone, team_cash_fen: 0, team_points_fen: 0, team_size: 0, counted_cash_fen: 0, counted_points_fen: 0, counted_self: false})
RETURN m.phone AS phone
