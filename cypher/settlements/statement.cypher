// One member's statement of one day, by its key (day|phone).
MATCH (st:Statement {key: $key})
RETURN st.day AS day, st.phone AS phone, st.static_fen AS static, st.share_g1_fen AS share_g1,
  st.share_g2_fen AS share_g2, st.team_fen AS team, st.peer_fen AS peer,
  st.forfeited_fen AS forfeited,
  st.static_fen + st.share_g1_fen + st.share_g2_fen + st.team_fen + st.peer_fen AS credited, st.tier_rank AS tier_rank,
  st.team_volume_fen AS team_volume, st.pool_after_fen AS pool_after, st.available_after_fen AS available_after,
  st.branches AS branches
