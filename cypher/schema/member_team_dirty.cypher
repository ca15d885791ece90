// Index: members whose own volume or membership has changed since the team fold last counted it.
CREATE INDEX member_team_dirty IF NOT EXISTS FOR (m:Member) ON (m.team_dirty)
