// Index: the code sends to a phone, for the per-phone limits.
CREATE INDEX sms_send_phone IF NOT EXISTS FOR (s:SmsSend) ON (s.phone)
