// Every payout of one day (keys between $after_key and $end_key), amounts only, in no promised order: read whole and sorted by the caller.
MATCH (st:Statement)
WHERE st.key > $after_key AND st.key < $end_key
RETURN st.phone AS phone, st.static_fen AS static, st.share_g1_fen AS share_g1, st.share_g2_fen AS share_g2,
  st.team_fen AS team, st.peer_fen AS peer, st.forfeited_fen AS forfeited,
  st.static_fen + st.share_g1_fen + st.share_g2_fen + st.team_fen + st.peer_fen AS credited
