// Constraint: one stored batch per running day and batch number (key: day|number).
CREATE CONSTRAINT plan_batch_key IF NOT EXISTS FOR (p:PlanBatch) REQUIRE p.key IS UNIQUE
