// Constraint: one send-limit record per phone, where concurrent code requests for it meet.
CREATE CONSTRAINT sms_limit_phone IF NOT EXISTS FOR (l:SmsLimit) REQUIRE l.phone IS UNIQUE
