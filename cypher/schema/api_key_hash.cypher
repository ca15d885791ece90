// Constraint: the hash of an API key finds its key (bearer authentication).
CREATE CONSTRAINT api_key_hash IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.key_hash IS UNIQUE
