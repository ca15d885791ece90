// Deletes the stored batches of a settled day.
MATCH (p:PlanBatch {day: $day})
DELETE p
