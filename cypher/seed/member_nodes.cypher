// Creates a batch of members with their precomputed team aggregates (everything counted), not yet under their sponsors; returns how many.
UNWIND $rows AS r
WITH r, right('0000000000000' + toString(r.created_at_ms), 13) + r.phone AS joined_key
CREATE (m:Member {phone: r.phone, phone_reversed: reverse(r.phone), invitation_code: r.invitation_code, name: null, password_hash: null,
  created_at_ms: r.created_at_ms, joined_key: joined_key,
  joined_desc: reduce(d = '', c IN split(joined_key, '') | d + toString(9 - toInteger(c))), own_cash_fen: r.own_cash_fen, own_points_fen: r.own_points_fen, team_dirty: false,
  pool_fen: 0, available_fen: 0, frozen_fen: 0})
CREATE (:Team {phone: r.phone, volume_key: right('0000000000000000' + toString(r.team_cash_fen + r.team_points_fen), 16) + r.phone, team_cash_fen: r.team_cash_fen, team_points_fen: r.team_points_fen, team_size: r.team_size,
  counted_cash_fen: r.own_cash_fen, counted_points_fen: r.own_points_fen, counted_self: true})
RETURN count(m) AS created
