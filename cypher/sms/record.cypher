// Keeps a message the development sender "sent", for the admins' outbox page.
CREATE (s:SmsMessage {id: $id, at_ms: $now_ms, phone: $phone, purpose: $purpose, text: $text})
