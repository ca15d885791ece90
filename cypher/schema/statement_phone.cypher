// Index: a member's statements.
CREATE INDEX statement_phone IF NOT EXISTS FOR (st:Statement) ON (st.phone)
