// Constraint: admin usernames are unique.
CREATE CONSTRAINT admin_username IF NOT EXISTS FOR (a:Admin) REQUIRE a.username IS UNIQUE
