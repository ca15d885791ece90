// Constraint: the fence has one node per shard.
CREATE CONSTRAINT fence_shard IF NOT EXISTS FOR (f:Fence) REQUIRE f.shard IS UNIQUE
