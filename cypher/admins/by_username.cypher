// The password hash of the admin with this username.
MATCH (a:Admin {username: $username})
RETURN a.username AS username, a.password_hash AS password_hash
