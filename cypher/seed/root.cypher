// Creates the root of a seeded network with its precomputed aggregates; returns its phone.
CREATE (m:Member {phone: $phone, phone_reversed: reverse($phone), invitation_code: $invitation_code, name: null, password_hash: null, root_key: 'root',
  created_at_ms: $created_at_ms, own_cash_fen: $own_cash_fen, own_points_fen: $own_points_fen,
  team_cash_fen: $team_cash_fen, team_points_fen: $team_points_fen, team_size: $team_size,
  pool_fen: 0, available_fen: 0, frozen_fen: 0})
RETURN m.phone AS phone
