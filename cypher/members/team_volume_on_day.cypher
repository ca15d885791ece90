// Team volume of a member on a day, summed over the tree below it (every depth): cash and points parts.
MATCH (:Member {phone: $phone})<-[:SPONSORED_BY*1..]-(d:Member)<-[:PLACED_BY]-(o:Order {refunded: false})
WHERE o.paid_at_ms < $day_start_ms
RETURN coalesce(sum(o.amount_fen - o.points_paid_fen), 0) AS cash_fen, coalesce(sum(o.points_paid_fen), 0) AS points_fen
