//! The use cases: every action of the API, the pages and the command line, once. Each takes
//! parsed domain values and an actor, runs its transaction, enforces its rules, writes its audit
//! entry in the same transaction, and answers an [`AppError`]. The HTTP handlers and the commands
//! are thin callers; `graph/` only stores.
pub mod adjustments;
pub mod admins;
pub mod api_keys;
pub mod auth;
pub mod dashboard;
pub mod demo;
pub mod error;
pub mod members;
pub mod orders;
pub mod params;
pub mod payout_accounts;
pub mod payouts;
pub mod previews;
pub mod settle;
pub mod sms;
pub mod statements;
pub mod teams;
pub mod verify;
pub mod withdrawals;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

pub use error::{AppError, AppResult, FieldError};

use crate::domain::client_address::TrustedProxies;
use crate::domain::day::BusinessDay;
use crate::domain::throttle::Rate;
use crate::graph::Graph;

/// How long a request waits for each database exchange before it answers 503
/// `database_unavailable` (the exchange itself still runs to its end). Whole-day reads and
/// settlement runs opt out (`Graph::without_deadline`).
pub const REQUEST_DEADLINE: std::time::Duration = std::time::Duration::from_secs(4);

/// What time it is: the system's clock, or a test's.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// What the application is built from, besides its database.
pub struct Settings {
    /// The scheme's business time zone (a day is a calendar day there).
    pub tz: Tz,
    pub sms: sms::SmsSender,
    pub settle: settle::Options,
    pub clock: Arc<dyn Clock>,
    /// Whose `X-Forwarded-For` names the client (`GREENPOINTS_TRUSTED_PROXIES`).
    pub trusted_proxies: TrustedProxies,
    /// Where the site is served to its readers (`GREENPOINTS_PUBLIC_URL`), if known: behind
    /// https, cookies are `Secure` with the `__Host-` prefix.
    pub public_url: Option<String>,
    /// The key payout accounts are sealed with (`GREENPOINTS_PAYOUT_KEY`); without it they can
    /// be neither saved nor opened.
    pub payout_key: Option<Arc<payout_accounts::PayoutKey>>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            tz: chrono_tz::Asia::Shanghai,
            sms: sms::SmsSender::Development,
            settle: settle::Options::default(),
            clock: Arc::new(SystemClock),
            trusted_proxies: TrustedProxies::default(),
            public_url: None,
            payout_key: None,
        }
    }
}

/// The application: the database, the clock, the configured senders, and the caches its pages
/// keep; shared by every request handler.
pub struct Application {
    pub graph: Graph,
    pub tz: Tz,
    /// SMS codes: issued and checked under their per-phone limits, delivered by the configured sender.
    pub sms: sms::SmsCodes,
    pub dashboard: dashboard::Cache,
    pub sorted_payouts: payouts::SortedDays,
    pub previews: previews::Previews,
    /// How the settlements asked for through the API and the pages write.
    pub settle: settle::Options,
    pub trusted_proxies: TrustedProxies,
    /// Where readers reach the site, without a trailing slash ([`Settings::public_url`]): the
    /// base of invitation links, the origin writes are checked against, https or not.
    pub public_url: Option<String>,
    pub payout_key: Option<Arc<payout_accounts::PayoutKey>>,
    clock: Arc<dyn Clock>,
}

impl Application {
    /// The application over `graph`; every request's exchange is bounded by [`REQUEST_DEADLINE`].
    pub fn build(graph: Graph, settings: Settings) -> Application {
        Application {
            graph: graph.with_deadline(REQUEST_DEADLINE),
            tz: settings.tz,
            sms: sms::SmsCodes::new(settings.sms),
            dashboard: Default::default(),
            sorted_payouts: Default::default(),
            previews: Default::default(),
            settle: settings.settle,
            trusted_proxies: settings.trusted_proxies,
            public_url: settings.public_url.map(|url| url.trim().trim_end_matches('/').to_string()).filter(|url| !url.is_empty()),
            payout_key: settings.payout_key,
            clock: settings.clock,
        }
    }

    /// Whether an attempt on `key` is within `rate` (counted in the database, across servers).
    pub async fn admit(&self, key: &str, rate: Rate) -> crate::graph::GraphResult<bool> {
        crate::graph::throttles::admit(&self.graph, key, rate, self.now().timestamp_millis()).await
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn now_ms(&self) -> i64 {
        self.now().timestamp_millis()
    }

    pub fn today(&self) -> BusinessDay {
        BusinessDay::of(self.now(), self.tz)
    }
}

/// Applies a ledger movement, refusing with `insufficient_points` or `balance_too_large` when a
/// balance would leave its range; answers the new available balance in fen.
pub(crate) async fn apply_movement(
    txn: &mut crate::graph::Txn,
    phone: &str,
    movement: &crate::domain::ledger::Movement,
    now_ms: i64,
) -> AppResult<i64> {
    use crate::domain::error_code::ErrorCode;
    use crate::graph::ledger::{Shortfall, apply_in};
    apply_in(txn, phone, movement, now_ms).await?.map_err(|shortfall| match shortfall {
        Shortfall::Insufficient => AppError::refused(ErrorCode::InsufficientPoints, "not enough available points"),
        Shortfall::OverMaximum => {
            AppError::refused(ErrorCode::BalanceTooLarge, "the balance would exceed the largest amount, 10000000000000.00")
        }
    })
}

/// Records an action in the audit log, in the transaction of the change it describes.
pub(crate) async fn audit(
    txn: &mut crate::graph::Txn,
    actor: &crate::domain::audit::Actor,
    action: crate::domain::audit::AuditAction,
    target: &str,
    detail: &crate::domain::audit::Detail,
    now_ms: i64,
) -> AppResult<()> {
    Ok(crate::graph::audit::record_in(txn, &actor.to_string(), action.as_str(), target, &detail.to_stored(), now_ms).await?)
}

/// Runs CPU-heavy work (an Argon2 hash or check, tens of milliseconds) off the request threads.
pub(crate) async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
    tokio::task::spawn_blocking(work).await.map_err(|error| AppError::corrupt(format!("a password hash or check panicked: {error}")))
}
