// Per day, the sums of the day's statements by kind (fen), to hold against the totals its settlement recorded.
MATCH (st:Statement)
RETURN st.day AS day, sum(st.static_fen) AS static, sum(st.share_g1_fen) AS share_g1,
  sum(st.share_g2_fen) AS share_g2, sum(st.team_fen) AS team, sum(st.peer_fen) AS peer,
  sum(st.forfeited_fen) AS forfeited, count(st) AS statements
