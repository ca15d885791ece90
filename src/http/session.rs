//! Login sessions for the pages: a random cookie (`HttpOnly; SameSite=Strict`) naming a session
//! stored in the graph by the cookie's hash, with a CSRF token for the session's forms. A new
//! session (and cookie) is made at every login; sessions end after an idle and an absolute timeout.
//!
//! Written by hand rather than with actix-session: the sessions must live in the graph (the one
//! store, so they survive restarts and a `kill -9`), carry two timeouts and a per-session CSRF
//! token, and the whole mechanism is these few functions.
use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite, time};
use chrono::{DateTime, TimeDelta, Utc};
use sha2::{Digest, Sha256};

use crate::graph::{Graph, GraphResult, sessions};

/// Who a session belongs to; each kind has its own cookie, so one kind's session opens nothing of the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Admin,
    Member,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Admin => "admin",
            Kind::Member => "member",
        }
    }

    pub fn cookie_name(self) -> &'static str {
        match self {
            Kind::Admin => "gp_admin",
            Kind::Member => "gp_member",
        }
    }
}

/// A session ends this long after its last request.
pub const IDLE_TIMEOUT: TimeDelta = TimeDelta::minutes(30);
/// And this long after its login, however busy.
pub const ABSOLUTE_TIMEOUT: TimeDelta = TimeDelta::hours(12);
/// The last-seen time is written at most this often, so that reading pages rarely writes.
const TOUCH_EVERY: TimeDelta = TimeDelta::minutes(1);

/// A live session.
#[derive(Clone, Debug)]
pub struct Session {
    pub subject: String,
    pub csrf: String,
    id_hash: String,
}

impl Session {
    /// Whether a submitted form token is this session's (compared in constant time).
    pub fn csrf_matches(&self, submitted: &str) -> bool {
        same_secret(&self.csrf, submitted)
    }
}

/// Whether two secrets are equal, compared in constant time (through their digests, so the
/// lengths leak nothing either).
fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    a.iter().zip(b.iter()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The double-submit token of the forms before login, which have no session yet: a cookie named
/// here and a hidden field that must agree.
pub struct PreLoginToken(pub &'static str);

impl PreLoginToken {
    /// The browser's token if it has one (so that two open tabs both work), else a new one.
    pub fn current_or_new(&self, req: &HttpRequest) -> String {
        self.current(req).unwrap_or_else(random_token)
    }

    /// Whether a posted form came with the token its browser holds.
    pub fn matches(&self, req: &HttpRequest, submitted: &str) -> bool {
        self.current(req).is_some_and(|token| same_secret(&token, submitted))
    }

    pub fn cookie(&self, token: String) -> Cookie<'static> {
        cookie(self.0, token)
    }

    fn current(&self, req: &HttpRequest) -> Option<String> {
        req.cookie(self.0).map(|c| c.value().to_string()).filter(|v| v.len() == 64)
    }
}

pub fn random_token() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

fn hash(cookie_value: &str) -> String {
    hex::encode(Sha256::digest(cookie_value.as_bytes()))
}

/// Opens a new session and returns the cookie that carries it.
pub async fn open(graph: &Graph, kind: Kind, subject: &str, now: DateTime<Utc>) -> GraphResult<Cookie<'static>> {
    let value = random_token();
    sessions::create(graph, &hash(&value), kind.as_str(), subject, &random_token(), now.timestamp_millis()).await?;
    Ok(cookie(kind.cookie_name(), value))
}

/// The live session of `kind` the request carries, if any. An expired session is deleted.
pub async fn current(graph: &Graph, req: &HttpRequest, kind: Kind, now: DateTime<Utc>) -> GraphResult<Option<Session>> {
    let Some(value) = req.cookie(kind.cookie_name()) else { return Ok(None) };
    let id_hash = hash(value.value());
    let Some(row) = sessions::by_hash(graph, &id_hash).await? else { return Ok(None) };
    // Defence in depth: an answer meant for another lookup must never pass as this cookie's session.
    if row.id_hash != id_hash {
        tracing::error!(kind = kind.as_str(), "a session lookup answered another session's row; refused");
        return Ok(None);
    }
    if row.kind != kind.as_str() {
        return Ok(None);
    }
    let now_ms = now.timestamp_millis();
    if now_ms - row.seen_at_ms > IDLE_TIMEOUT.num_milliseconds() || now_ms - row.created_at_ms > ABSOLUTE_TIMEOUT.num_milliseconds() {
        sessions::delete(graph, &id_hash).await?;
        return Ok(None);
    }
    if now_ms - row.seen_at_ms > TOUCH_EVERY.num_milliseconds() {
        sessions::touch(graph, &id_hash, now_ms).await?;
    }
    Ok(Some(Session { subject: row.subject, csrf: row.csrf, id_hash }))
}

/// Ends a session; returns the cookie that clears it in the browser.
pub async fn close(graph: &Graph, kind: Kind, session: &Session) -> GraphResult<Cookie<'static>> {
    sessions::delete(graph, &session.id_hash).await?;
    Ok(removal(kind.cookie_name()))
}

/// A session-lifetime cookie for the whole site that scripts cannot read and other sites cannot send.
pub fn cookie(name: &'static str, value: String) -> Cookie<'static> {
    Cookie::build(name, value).path("/").http_only(true).same_site(SameSite::Strict).finish()
}

pub fn removal(name: &'static str) -> Cookie<'static> {
    let mut gone = cookie(name, String::new());
    gone.set_max_age(time::Duration::ZERO);
    gone
}

/// Removes expired sessions now and then (a session is refused once expired in any case), and
/// the attempt throttles that no longer hold anything back.
pub async fn sweep_expired(graph: Graph) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(15 * 60));
    loop {
        tick.tick().await;
        let now = Utc::now();
        let idle_before = (now - IDLE_TIMEOUT).timestamp_millis();
        let opened_before = (now - ABSOLUTE_TIMEOUT).timestamp_millis();
        match sessions::delete_expired(&graph, idle_before, opened_before).await {
            Ok(deleted) if deleted > 0 => tracing::info!(deleted, "expired sessions removed"),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "removing expired sessions failed"),
        }
        if let Err(error) = crate::graph::throttles::forget_idle(&graph, now.timestamp_millis()).await {
            tracing::warn!(%error, "forgetting idle throttles failed");
        }
    }
}
