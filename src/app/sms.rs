//! SMS verification codes (找回或修改密码) and the senders that deliver them.
//!
//! The rules (SPEC §5): a code is 6 random digits, valid 10 minutes, used once, with at most 5
//! tries (the sixth is refused even when right); a phone gets at most one code a minute and 10 in
//! any 24 hours (a rolling window). Unregistered phones go through the same steps (the send is
//! recorded and a code stored) except that nothing is sent, so that neither an answer nor its
//! time tells whether a phone is registered.
//! Codes are stored only as SHA-256(salt ‖ digits) and never logged: no log line of this module
//! carries a code or a message text, and phones are logged masked.
//!
//! The check-and-record of the send limits is one transaction that writes the phone's limit record,
//! so that requests for one phone on any number of servers are decided one after the other; the
//! try count of a code is raised in one statement that returns the new count, so that a try is
//! never lost.
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use crate::domain::phone::Phone;
use crate::graph::{Graph, GraphError, members, sms, sms_codes};

/// How long a code can be used.
pub const CODE_TTL: TimeDelta = TimeDelta::minutes(10);
/// Tries per code; the next one is refused whatever it says.
pub const MAX_TRIES: i64 = 5;
/// At most one code per phone in this interval.
pub const SEND_INTERVAL: TimeDelta = TimeDelta::minutes(1);
/// At most this many codes per phone in any [`SEND_WINDOW`].
pub const SENDS_PER_WINDOW: i64 = 10;
/// The rolling window of the daily limit.
pub const SEND_WINDOW: TimeDelta = TimeDelta::hours(24);

/// What a code is for; a code of one purpose does nothing for another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Forgotten password, from the login side (找回密码).
    Reset,
    /// A logged-in member changes its password (修改密码).
    Change,
    /// A new member proves its phone on an invitation link (注册): the only purpose whose code
    /// goes to a phone that is *not* registered.
    Register,
    /// A member logs in with a code instead of its password (验证码登录); also the way in of a
    /// member the mall created without a password.
    Login,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Reset => "reset",
            Purpose::Change => "change",
            Purpose::Register => "register",
            Purpose::Login => "login",
        }
    }

    /// A purpose as the outbox stores it.
    pub fn stored(text: &str) -> Option<Purpose> {
        [Purpose::Reset, Purpose::Change, Purpose::Register, Purpose::Login].into_iter().find(|purpose| purpose.as_str() == text)
    }

    /// The purposes a client names in `POST /api/v1/auth/sms-code`: registration codes are asked
    /// for only on the invitation page (`app::members::request_registration_code`).
    pub fn parse(text: &str) -> Option<Purpose> {
        match text {
            "reset" => Some(Purpose::Reset),
            "change" => Some(Purpose::Change),
            "login" => Some(Purpose::Login),
            _ => None,
        }
    }

    /// The message carrying a code (Simplified Chinese, as Chinese carriers require).
    fn message(self, code: &str) -> String {
        let what = match self {
            Purpose::Reset => "找回密码",
            Purpose::Change => "修改密码",
            Purpose::Register => "注册会员",
            Purpose::Login => "登录",
        };
        format!("【绿色积分】您的验证码是 {code}，用于{what}，10 分钟内有效。请勿告诉他人。")
    }
}

/// Why a code was not sent or not accepted.
#[derive(Debug, thiserror::Error)]
pub enum CodeError {
    #[error("a code was sent to this phone less than a minute ago; try again shortly")]
    TooSoon,
    #[error("this phone has had 10 codes in the last 24 hours; try again later")]
    WindowFull,
    /// Wrong, expired, used, replaced, too many tries, or never sent: one answer for all.
    #[error("the code is wrong, expired or used; ask for a new one")]
    Invalid,
    #[error(transparent)]
    Graph(#[from] GraphError),
}

/// Why the limits refused a send.
#[derive(Clone, Copy, Debug)]
enum Refusal {
    TooSoon,
    WindowFull,
}

/// One SMS to deliver.
#[derive(Clone, Debug)]
pub struct Message {
    pub phone: Phone,
    pub purpose: Purpose,
    pub text: String,
}

/// Where messages go.
#[derive(Clone, Debug)]
pub enum SmsSender {
    /// Sends nothing: keeps each message in the graph for the admins' outbox page (`/admin/outbox`).
    Development,
    /// Posts each message to an HTTP endpoint (a gateway to the SMS provider).
    Webhook(Webhook),
}

impl SmsSender {
    /// Delivers a message; failures are logged (phone masked, never the text) and returned.
    pub async fn send(&self, graph: &Graph, message: &Message, now: DateTime<Utc>) -> Result<(), SendError> {
        match self {
            SmsSender::Development => {
                sms::record(graph, message.phone.as_str(), message.purpose.as_str(), &message.text, now.timestamp_millis()).await.map_err(
                    |error| {
                        tracing::error!(phone = %message.phone.masked(), %error, "keeping an SMS in the outbox failed");
                        SendError
                    },
                )
            }
            SmsSender::Webhook(webhook) => webhook.send(message).await,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            SmsSender::Development => "development outbox",
            SmsSender::Webhook(_) => "webhook",
        }
    }
}

/// A message could not be delivered (the reason is logged).
#[derive(Debug, thiserror::Error)]
#[error("the SMS could not be delivered")]
pub struct SendError;

/// The header carrying the body's signature, `t=TIMESTAMP,v1=HMAC`: the Unix time of the try in
/// seconds and the hex HMAC-SHA256, under the secret, of the timestamp, a dot and the body. A
/// receiver refuses a timestamp more than a few minutes old, so that a signed message cannot be
/// replayed later.
pub const SIGNATURE_HEADER: &str = "X-Greenpoints-Signature";

/// The production sender: `POST url` with the JSON body `{"phone", "text", "purpose"}` and the
/// header [`SIGNATURE_HEADER`]; any 2xx answer is success. Each try times out after 5 seconds;
/// a failed try (no answer, 5xx, 408 or 429) is retried up to 3 tries in all, waiting `backoff`,
/// then twice that. Other 4xx answers are not retried.
#[derive(Clone)]
pub struct Webhook {
    client: reqwest::Client,
    url: String,
    secret: secrecy::SecretSlice<u8>,
    backoff: Duration,
}

impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhook").field("url", &self.url).finish_non_exhaustive()
    }
}

pub const WEBHOOK_TRIES: u32 = 3;
pub const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(5);

impl Webhook {
    pub fn new(url: &str, secret: &str) -> anyhow::Result<Webhook> {
        anyhow::ensure!(url.starts_with("http://") || url.starts_with("https://"), "the SMS webhook URL must be http(s)://…");
        anyhow::ensure!(secret.len() >= 16, "the SMS webhook secret must have at least 16 characters");
        let client = crate::http_client::builder().timeout(WEBHOOK_TIMEOUT).build()?;
        Ok(Webhook { client, url: url.to_string(), secret: secret.as_bytes().to_vec().into(), backoff: Duration::from_secs(1) })
    }

    /// The wait before the second try (doubled before the third); tests shorten it.
    pub fn with_backoff(mut self, backoff: Duration) -> Webhook {
        self.backoff = backoff;
        self
    }

    async fn send(&self, message: &Message) -> Result<(), SendError> {
        let body = serde_json::json!({
            "phone": message.phone.as_str(),
            "text": message.text,
            "purpose": message.purpose.as_str(),
        })
        .to_string();
        let phone = message.phone.masked();
        let purpose = message.purpose.as_str();
        let mut wait = self.backoff;
        for attempt in 1..=WEBHOOK_TRIES {
            let signature = signature(secrecy::ExposeSecret::expose_secret(&self.secret), Utc::now().timestamp(), &body);
            let answer = self
                .client
                .post(&self.url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header(SIGNATURE_HEADER, &signature)
                .body(body.clone())
                .send()
                .await;
            // The answer's body is never read: a gateway may echo the message.
            let retry = match answer {
                Ok(answer) if answer.status().is_success() => {
                    tracing::info!(%phone, purpose, attempt, "SMS handed to the webhook");
                    return Ok(());
                }
                Ok(answer) => {
                    let status = answer.status();
                    tracing::warn!(%phone, purpose, attempt, status = status.as_u16(), "the SMS webhook refused a message");
                    status.is_server_error() || status.as_u16() == 408 || status.as_u16() == 429
                }
                Err(error) => {
                    // Without the URL: it may carry credentials.
                    tracing::warn!(%phone, purpose, attempt, error = %error.without_url(), "the SMS webhook did not answer");
                    true
                }
            };
            if !retry || attempt == WEBHOOK_TRIES {
                break;
            }
            tokio::time::sleep(wait).await;
            wait *= 2;
        }
        tracing::error!(%phone, purpose, "SMS delivery through the webhook failed; the message is dropped");
        Err(SendError)
    }
}

/// The [`SIGNATURE_HEADER`] of `body` sent at `timestamp` (Unix seconds).
pub fn signature(secret: &[u8], timestamp: i64, body: &str) -> String {
    format!("t={timestamp},v1={}", hex::encode(hmac_sha256(secret, format!("{timestamp}.{body}").as_bytes())))
}

/// HMAC-SHA256 (RFC 2104) of `message` under `key`.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// Issues and checks codes through the sender.
pub struct SmsCodes {
    sender: Arc<SmsSender>,
}

fn code_hash(salt: &str, code: &str) -> String {
    hex::encode(Sha256::new().chain_update(salt.as_bytes()).chain_update(code.as_bytes()).finalize())
}

/// Compares two strings in constant time (for equal lengths).
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A code as members type it: exactly six ASCII digits.
pub fn is_code_shaped(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

impl SmsCodes {
    pub fn new(sender: SmsSender) -> SmsCodes {
        SmsCodes { sender: Arc::new(sender) }
    }

    pub fn sender(&self) -> &SmsSender {
        &self.sender
    }

    /// Sends a new code for `purpose` to `phone` if the phone's limits allow, replacing its older
    /// codes for that purpose. An unregistered phone (for [`Purpose::Register`]: a registered
    /// one) counts against the same limits and gets a code stored the same way, but no message:
    /// nobody ever knows that code. The message goes out in the background, so that the answer
    /// takes the same time whether or not one is sent.
    pub async fn request(&self, graph: &Graph, phone: &Phone, purpose: Purpose, now: DateTime<Utc>) -> Result<(), CodeError> {
        let now_ms = now.timestamp_millis();
        let window_start_ms = (now - SEND_WINDOW).timestamp_millis();
        // Decided in the database, where requests for this phone on every server meet.
        let decision = sms_codes::record_send_if(graph, phone.as_str(), purpose.as_str(), now_ms, window_start_ms, move |sends| {
            if sends.last_ms.is_some_and(|last| now_ms - last < SEND_INTERVAL.num_milliseconds()) {
                Err(Refusal::TooSoon)
            } else if sends.sends >= SENDS_PER_WINDOW {
                Err(Refusal::WindowFull)
            } else {
                Ok(())
            }
        })
        .await?;
        match decision {
            Ok(()) => {}
            Err(Refusal::TooSoon) => {
                tracing::info!(phone = %phone.masked(), purpose = purpose.as_str(), "SMS code refused: one a minute");
                return Err(CodeError::TooSoon);
            }
            Err(Refusal::WindowFull) => {
                tracing::info!(phone = %phone.masked(), purpose = purpose.as_str(), "SMS code refused: 10 in 24 hours");
                return Err(CodeError::WindowFull);
            }
        }
        let registered = members::exists(graph, phone).await?;
        let deliver = if purpose == Purpose::Register { !registered } else { registered };
        // A phone the purpose is not for gets a code too, which is never sent: the same work, the same time.
        let code = format!("{:06}", rand::random_range(0..1_000_000u32));
        let salt = hex::encode(rand::random::<[u8; 16]>());
        let hash = code_hash(&salt, &code);
        let new = sms_codes::NewCode {
            phone: phone.as_str(),
            purpose: purpose.as_str(),
            salt: &salt,
            hash: &hash,
            now_ms,
            expires_at_ms: (now + CODE_TTL).timestamp_millis(),
        };
        sms_codes::replace(graph, new).await?;
        if !deliver {
            tracing::info!(phone = %phone.masked(), purpose = purpose.as_str(), registered, "SMS code requested for a phone it is not for; nothing sent");
            return Ok(());
        }
        let message = Message { phone: phone.clone(), purpose, text: purpose.message(&code) };
        let (sender, graph) = (self.sender.clone(), graph.clone());
        tracing::info!(phone = %phone.masked(), purpose = purpose.as_str(), sender = sender.name(), "SMS code issued");
        tokio::spawn(async move {
            let _ = sender.send(&graph, &message, now).await;
        });
        Ok(())
    }

    /// Uses up the live code of `phone` for `purpose` if `code` is it. Every failure is
    /// [`CodeError::Invalid`]; a try that reads as a code counts against the code's tries.
    pub async fn redeem(&self, graph: &Graph, phone: &Phone, purpose: Purpose, code: &str, now: DateTime<Utc>) -> Result<(), CodeError> {
        if !is_code_shaped(code) {
            return Err(CodeError::Invalid);
        }
        let attempt = sms_codes::try_code(graph, phone.as_str(), purpose.as_str(), now.timestamp_millis(), MAX_TRIES).await?;
        let Some(attempt) = attempt else {
            tracing::info!(phone = %phone.masked(), purpose = purpose.as_str(), "SMS code refused: none live");
            return Err(CodeError::Invalid);
        };
        if attempt.tries > MAX_TRIES || !same(&code_hash(&attempt.salt, code), &attempt.hash) {
            tracing::info!(phone = %phone.masked(), purpose = purpose.as_str(), tries = attempt.tries, "SMS code refused: wrong");
            return Err(CodeError::Invalid);
        }
        if !sms_codes::consume(graph, phone.as_str(), &attempt.id).await? {
            return Err(CodeError::Invalid);
        }
        tracing::info!(phone = %phone.masked(), purpose = purpose.as_str(), "SMS code used");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_sha256_gives_the_rfc_4231_test_vectors() {
        // Test cases 1, 2 and 6 (a key longer than the block).
        let cases: [(&[u8], &[u8], &str); 3] = [
            (&[0x0b; 20], b"Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
            (b"Jefe", b"what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
            (
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First",
                "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
            ),
        ];
        for (key, message, expected) in cases {
            assert_eq!(hex::encode(hmac_sha256(key, message)), expected);
        }
    }

    #[test]
    fn a_code_is_six_digits_and_its_hash_depends_on_the_salt() {
        assert!(is_code_shaped("012345"));
        for bad in ["12345", "1234567", "12345a", " 12345", "１２３４５６"] {
            assert!(!is_code_shaped(bad), "{bad:?}");
        }
        assert_ne!(code_hash("a", "123456"), code_hash("b", "123456"));
        assert!(same(&code_hash("a", "123456"), &code_hash("a", "123456")));
        assert!(!code_hash("a", "123456").contains("123456"));
    }

    #[test]
    fn the_message_names_its_purpose_and_carries_the_code() {
        assert!(Purpose::Reset.message("012345").contains("012345"));
        assert!(Purpose::Reset.message("012345").contains("找回密码"));
        assert!(Purpose::Change.message("012345").contains("修改密码"));
        assert!(Purpose::Register.message("012345").contains("注册"));
        assert_eq!(Purpose::Register.as_str(), "register");
        assert_eq!(Purpose::parse("reset"), Some(Purpose::Reset));
        assert_eq!(Purpose::parse("change"), Some(Purpose::Change));
        assert_eq!(Purpose::parse("login"), Some(Purpose::Login));
        assert!(Purpose::Login.message("012345").contains("登录"));
        assert_eq!(Purpose::parse("signin"), None);
    }

    #[test]
    fn a_webhook_needs_an_http_url_and_a_real_secret() {
        assert!(Webhook::new("ftp://x", "0123456789abcdef").is_err());
        assert!(Webhook::new("http://127.0.0.1:9/sms", "short").is_err());
        assert!(Webhook::new("http://127.0.0.1:9/sms", "0123456789abcdef").is_ok());
    }
}
