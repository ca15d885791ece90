// Constraint: parameter versions are numbered uniquely.
CREATE CONSTRAINT param_version IF NOT EXISTS FOR (p:ParamVersion) REQUIRE p.version IS UNIQUE
