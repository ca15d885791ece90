// Per member, the sum of what its statements credited (static plus paid accelerated release) and its lowest figure.
MATCH (st:Statement)
WITH st, [st.static_fen, st.share_g1_fen, st.share_g2_fen, st.team_fen, st.peer_fen, st.forfeited_fen,
  st.pool_after_fen, st.available_after_fen] AS figures
RETURN st.phone AS phone,
  sum(st.static_fen + st.share_g1_fen + st.share_g2_fen + st.team_fen + st.peer_fen) AS credited_fen,
  min(reduce(lowest = 0, f IN figures | CASE WHEN f < lowest THEN f ELSE lowest END)) AS lowest_fen
