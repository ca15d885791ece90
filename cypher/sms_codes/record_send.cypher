// Records a send granted to a phone (registered or not), for the per-phone limits.
CREATE (s:SmsSend {phone: $phone, purpose: $purpose, at_ms: $now_ms})
