// Index: members in the order they joined (joined_key: created_at_ms, 13 digits, then the phone), the member list's other order.
CREATE INDEX member_joined_key IF NOT EXISTS FOR (m:Member) ON (m.joined_key)
