// Index: the SMS codes of a phone.
CREATE INDEX sms_code_phone IF NOT EXISTS FOR (c:SmsCode) ON (c.phone)
