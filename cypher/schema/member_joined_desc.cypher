// Index: members newest first in ascending order (joined_desc: every digit of the joined key taken from 9), read in index order to find a page's floor.
CREATE INDEX member_joined_desc IF NOT EXISTS FOR (m:Member) ON (m.joined_desc)
