// Constraint: one statement per member and day (key: day|phone); also the index of a day's payouts in phone order.
CREATE CONSTRAINT statement_key IF NOT EXISTS FOR (st:Statement) REQUIRE st.key IS UNIQUE
