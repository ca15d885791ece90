// One stored batch of a running day, as JSON.
MATCH (p:PlanBatch {key: $key})
RETURN p.body AS body
