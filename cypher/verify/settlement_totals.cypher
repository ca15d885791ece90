// Per day, the sums of the day's statements, to hold against the totals its settlement recorded.
MATCH (st:Statement)
RETURN st.day AS day, sum(st.static_fen) AS static_fen, sum(st.share_g1_fen) AS share_g1_fen,
  sum(st.share_g2_fen) AS share_g2_fen, sum(st.team_fen) AS team_fen, sum(st.peer_fen) AS peer_fen,
  sum(st.forfeited_fen) AS forfeited_fen, count(st) AS statements
