// Index: members by their phone read backwards, so that a search by the last digits is a prefix search.
CREATE INDEX member_phone_reversed IF NOT EXISTS FOR (m:Member) ON (m.phone_reversed)
