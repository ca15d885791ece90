// Creates an admin account, or sets a new password for an existing one; says whether it was created.
MERGE (a:Admin {username: $username})
ON CREATE SET a.created_at_ms = $now_ms
SET a.password_hash = $password_hash
RETURN a.created_at_ms = $now_ms AS created
