// Team volume of a member on a day, summed over the tree below it (every depth): cash and points parts of the live orders that start before the day.
MATCH (:Member {phone: $phone})<-[:SPONSORED_BY*1..]-(d:Member)<-[:PLACED_BY]-(o:Order {refunded: false})
WHERE o.start_day < $day
RETURN coalesce(sum(o.amount_fen - o.points_paid_fen), 0) AS cash_fen, coalesce(sum(o.points_paid_fen), 0) AS points_fen
