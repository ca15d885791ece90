// Deletes every code of a phone for a purpose (a new code replaces the older ones).
MATCH (c:SmsCode {phone: $phone, purpose: $purpose})
DELETE c
