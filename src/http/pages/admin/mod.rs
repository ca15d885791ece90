//! The admin console: operators run the scheme from these pages.
mod api_keys;
mod audit;
pub mod dashboard;
mod login;
mod members;
mod outbox;
mod params;
pub mod settlements;
mod tree;
mod withdrawals;

use actix_web::web;

use super::i18n::Text;
use super::signed_in::{SessionKind, SignedIn, SignedInForm};
use super::{ADMIN_HOME, PageError};
use crate::domain::error_code::ErrorCode;
use crate::domain::role::{Permission, Role};
use crate::graph::{Graph, GraphResult, admins, params as versions, settlements::days as settled};
use crate::http::AppState;
use crate::http::session::Kind;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/admin")
            .route("/login", web::get().to(login::form))
            .route("/login", web::post().to(login::submit))
            .route("/logout", web::post().to(login::logout))
            .configure(members::configure)
            .configure(tree::configure)
            .configure(settlements::configure)
            .configure(params::configure)
            .configure(withdrawals::configure)
            .configure(api_keys::configure)
            .configure(audit::configure)
            .configure(outbox::configure)
            .route("", web::get().to(dashboard::page))
            .route("/", web::get().to(dashboard::page)),
    );
}

/// The admin console's side of the site: admins' sessions, their login page, the console's sections.
pub struct AdminKind;

/// An admin account, as its session names it and its `Admin` node has it at this request.
pub struct AdminAccount {
    pub username: String,
    /// What it may do (see [`Role::may`]).
    pub role: Role,
}

/// What each section of the navigation needs; a section not listed is a read-only page.
fn section_permission(key: &str) -> Permission {
    match key {
        "api_keys" => Permission::ManageApiKeys,
        "outbox" => Permission::ReadOutbox,
        _ => Permission::Read,
    }
}

impl SessionKind for AdminKind {
    type Account = AdminAccount;
    const SESSION: Kind = Kind::Admin;
    const LOGIN: &'static str = "/admin/login";
    const HOME: &'static str = ADMIN_HOME;
    const LOGOUT: &'static str = "/admin/logout";
    const BODY_CLASS: Option<&'static str> = None;

    /// Read from the graph at every request: a role changed or an admin disabled on the command
    /// line applies to the next page, not at the next login. A disabled admin, or one whose role
    /// this version does not know, has no account.
    async fn account(graph: &Graph, subject: &str) -> GraphResult<Option<AdminAccount>> {
        let Some(row) = admins::by_username(graph, subject).await? else { return Ok(None) };
        // Defence in depth: another admin's row must never pass as this session's.
        if row.username != subject {
            tracing::error!("an admin lookup answered another admin's row; refused");
            return Ok(None);
        }
        Ok(row.active_role().map(|role| AdminAccount { username: row.username, role }))
    }

    fn actor(account: &AdminAccount) -> crate::domain::audit::Actor {
        crate::domain::audit::Actor::Admin(account.username.clone())
    }

    /// With the admin's role: `ops · 运营`.
    fn signed_in_as(account: &AdminAccount, t: &'static Text) -> String {
        format!("{} · {}", account.username, t.role(account.role))
    }

    fn shows(account: &AdminAccount, key: &str) -> bool {
        account.role.may(section_permission(key))
    }

    fn site_name(t: &'static Text) -> Option<&'static str> {
        Some(t.admin_console)
    }

    fn navigation(t: &'static Text) -> Vec<(&'static str, &'static str, &'static str)> {
        vec![
            ("dashboard", t.nav_dashboard, "/admin"),
            ("members", t.nav_members, "/admin/members"),
            ("tree", t.nav_tree, "/admin/tree"),
            ("settlements", t.nav_settlements, "/admin/settlements"),
            ("params", t.nav_params, "/admin/params"),
            ("withdrawals", t.nav_withdrawals, "/admin/withdrawals"),
            ("api_keys", t.nav_api_keys, "/admin/api-keys"),
            ("audit", t.nav_audit, "/admin/audit"),
            ("outbox", t.nav_outbox, "/admin/outbox"),
        ]
    }
}

/// A logged-in admin, with the reader's language.
pub type Admin = SignedIn<AdminKind>;

impl Admin {
    /// Whether this admin's role may do `permission` (pages show only the forms it may use).
    pub fn may(&self, permission: Permission) -> bool {
        self.role.may(permission)
    }

    /// Refuses with 403 `role_forbidden`, on the error page, unless this admin's role may do
    /// `permission`; every action and every page that not all roles may see asks first.
    pub fn require(&self, permission: Permission) -> Result<(), PageError> {
        if self.may(permission) {
            return Ok(());
        }
        tracing::warn!(username = %self.username, role = %self.role, ?permission, "refused: the admin's role does not allow it");
        let message = format!("the role {} may not do that ({permission:?})", self.role);
        Err(self.refused(crate::http::error::ApiError::refused(ErrorCode::RoleForbidden, message)))
    }
}
/// A form an admin posted, its CSRF token checked.
pub type AdminForm<T> = SignedInForm<AdminKind, T>;

/// How often the server looks for a newly settled day to read ahead.
const WARM_EVERY: std::time::Duration = std::time::Duration::from_secs(30);

/// Starts computing what the console's heaviest pages need before anyone asks: the dashboard's
/// figures at start, and the payouts of each newly settled day for sorting by an amount. Runs for
/// the life of the server; the pages compute the same on demand when it has not yet.
pub fn keep_warm(state: &AppState) {
    // Whole-day and whole-tree reads: as long as they take, off any request.
    let (graph, tz, dashboard, sorted) = (state.graph.without_deadline(), state.tz, state.dashboard.clone(), state.sorted_payouts.clone());
    tokio::spawn(async move {
        if let Err(error) = warm_dashboard(&graph, tz, &dashboard).await {
            tracing::warn!(%error, "computing the dashboard figures at start failed");
        }
        let mut tick = tokio::time::interval(WARM_EVERY);
        loop {
            tick.tick().await;
            match settled::last_settled_day(&graph).await {
                Ok(Some(day)) => {
                    if let Err(error) = sorted.day(&graph, day).await {
                        tracing::warn!(%error, %day, "reading a settled day's payouts ahead failed");
                    }
                }
                Ok(None) => {}
                Err(error) => tracing::warn!(%error, "looking for the latest settled day failed"),
            }
        }
    });
}

async fn warm_dashboard(graph: &Graph, tz: chrono_tz::Tz, dashboard: &crate::app::dashboard::Cache) -> crate::graph::GraphResult<()> {
    let today = crate::domain::day::BusinessDay::of(chrono::Utc::now(), tz);
    let thresholds = versions::history(graph).await?.in_force(today).params.tier_thresholds_fen();
    dashboard.figures(graph, crate::app::dashboard::Asked { tier_thresholds_fen: thresholds, tz }).await.map(drop)
}
