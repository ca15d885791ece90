// Stores one computed batch of a running day (key: day|number), so that a run taken over writes what was computed.
MERGE (p:PlanBatch {key: $key})
SET p.day = $day, p.number = $number, p.body = $body
