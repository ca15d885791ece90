// Index: the development sender's outbox in time order.
CREATE INDEX sms_at IF NOT EXISTS FOR (s:SmsMessage) ON (s.at_ms)
