// Up to $limit phones holding $digits anywhere (middle digits), in no promised order: a scan of every member's team node (lean, four times quicker to read than the member's) that stops at the limit.
MATCH (t:Team)
WHERE t.phone CONTAINS $digits
RETURN t.phone AS phone
LIMIT $limit
