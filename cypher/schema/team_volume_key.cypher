// Index: teams in team-volume order (volume_key: the volume in fen, 16 digits, then the phone), the member list's order.
CREATE INDEX team_volume_key IF NOT EXISTS FOR (t:Team) ON (t.volume_key)
