// The largest live (not refunded) order of each of these members, in fen (0 without one): what their level is.
UNWIND $phones AS phone
MATCH (m:Member {phone: phone})
OPTIONAL MATCH (o:Order {refunded: false})-[:PLACED_BY]->(m)
RETURN phone, coalesce(max(o.amount_fen), 0) AS largest_order_fen
