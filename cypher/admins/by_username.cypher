// The admin with this username: its password hash, its role (null for admins made before roles) and when it was disabled (null while enabled).
MATCH (a:Admin {username: $username})
RETURN a.username AS username, a.password_hash AS password_hash, a.role AS role, a.disabled_at_ms AS disabled_at_ms
