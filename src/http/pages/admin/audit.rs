//! The audit log page: who did what to which target, the newest first, a page at a time. Its
//! paging (a cursor naming the last row shown) is shared with the outbox and withdrawals pages.
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use askama::Template;
use serde::Deserialize;

use super::params::field_label;
use crate::domain::audit::{AuditAction, Detail, Via};
use crate::domain::day::BusinessDay;
use crate::domain::error_code::ErrorCode;
use crate::graph::audit;
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::pages::format::{actor, local_time};
use crate::http::pages::i18n::Text;
use crate::http::pages::{Admin, Chrome, PageResult, html};
use crate::http::paging;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/audit", web::get().to(page));
}

/// Rows a page.
pub(super) const PAGE_SIZE: i64 = 50;

#[derive(Deserialize)]
pub(super) struct CursorQuery {
    pub cursor: Option<String>,
}

/// The position (milliseconds, id) of the last row of the previous page, from a page's cursor.
pub(super) fn position(cursor: Option<&str>) -> Result<Option<(i64, String)>, ApiError> {
    cursor.filter(|c| !c.is_empty()).map(paging::decode::<(i64, String)>).transpose()
}

/// Cuts off the row read beyond a page (rows are read `PAGE_SIZE + 1` at a time) and returns
/// the next page's cursor when there is such a row. Cursors are base64url: safe in a link as they are.
pub(super) fn next_page<T>(rows: &mut Vec<T>, position: impl Fn(&T) -> (i64, String)) -> Option<String> {
    if rows.len() as i64 <= PAGE_SIZE {
        return None;
    }
    rows.truncate(PAGE_SIZE as usize);
    rows.last().map(|row| paging::encode(&position(row)))
}

struct Line {
    at: String,
    /// As stored (`admin:ops`), and in the reader's language.
    actor_code: String,
    actor: String,
    /// As stored (`member.adjust`), and in the reader's language.
    action_code: String,
    action: String,
    target: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    chrome: Chrome,
    /// The filters as asked, for the form.
    asked: AuditQuery,
    /// The newest page and the next older one, with the filters asked for.
    newest: String,
    /// Whether any filter is set (the form then offers to clear them).
    filtered: bool,
    /// Every action: (code, label), for the action filter.
    actions: Vec<(&'static str, &'static str)>,
    lines: Vec<Line>,
    /// The next (older) page.
    older: Option<String>,
    /// Whether this is a later page, which links back to the newest.
    paged: bool,
}

/// The audit log's filters as the form sends them (each may be left empty), and the page's cursor.
#[derive(Clone, Default, Deserialize, serde::Serialize)]
pub(super) struct AuditQuery {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    actor: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    action: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    target: String,
    /// A day (`YYYY-MM-DD`) in the scheme's time zone.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    day: String,
    #[serde(default, skip_serializing)]
    cursor: Option<String>,
}

impl AuditQuery {
    /// The filter asked for; a day or an action that does not read is refused.
    fn filter(&self, tz: chrono_tz::Tz) -> Result<audit::Filter, ApiError> {
        let given = |text: &str| Some(text.trim().to_string()).filter(|t| !t.is_empty());
        let action = given(&self.action);
        if let Some(code) = &action
            && AuditAction::parse(code).is_none()
        {
            return Err(ApiError::refused(ErrorCode::InvalidQuery, format!("no audit action is named {code:?}")));
        }
        let day = given(&self.day).map(|day| BusinessDay::parse(&day)).transpose()?;
        Ok(audit::Filter {
            actor: given(&self.actor),
            action,
            target: given(&self.target),
            from_ms: day.map(|d| d.start_utc(tz).timestamp_millis()),
            until_ms: day.map(|d| d.succ().start_utc(tz).timestamp_millis()),
        })
    }
}

async fn page(state: web::Data<AppState>, admin: Admin, req: HttpRequest, query: web::Query<AuditQuery>) -> PageResult {
    let asked = query.into_inner();
    let filter = asked.filter(state.tz).map_err(|e| admin.refused(e))?;
    let before = position(asked.cursor.as_deref()).map_err(|e| admin.refused(e))?;
    let paged = before.is_some();
    let mut rows = audit::list_of(&state.graph, &filter, before, PAGE_SIZE + 1).await.map_err(|e| admin.refused(e))?;
    let older = next_page(&mut rows, |row| (row.at_ms, row.id.clone()));
    let t = admin.t();
    let lines = rows
        .into_iter()
        .map(|row| Line {
            at: local_time(row.at_ms, state.tz, true),
            actor: actor(&row.actor, t),
            actor_code: row.actor,
            action: t.action(&row.action).to_string(),
            action_code: row.action,
            target: row.target,
            detail: detail(&row.detail, t),
        })
        .collect();
    let filters = serde_urlencoded::to_string(&asked).unwrap_or_default();
    let newest = if filters.is_empty() { "/admin/audit".to_string() } else { format!("/admin/audit?{filters}") };
    let older =
        older.map(|cursor| if filters.is_empty() { format!("/admin/audit?cursor={cursor}") } else { format!("{newest}&cursor={cursor}") });
    let filtered = filter.actor.is_some() || filter.action.is_some() || filter.target.is_some() || filter.from_ms.is_some();
    let actions = AuditAction::ALL.iter().map(|a| (a.as_str(), t.action(a.as_str()))).collect();
    html(StatusCode::OK, &AuditPage { chrome: Chrome::of(&admin, "audit", &req), asked, newest, filtered, actions, lines, older, paged })
}

/// What an entry's detail says, in the reader's language; text stored before details had fields,
/// as it is.
fn detail(stored: &str, t: &'static Text) -> String {
    let Some(detail) = Detail::parse(stored) else { return stored.to_string() };
    let role = |code: &str| code.parse().map_or_else(|_| code.to_string(), |role| t.role(role).to_string());
    let mut facts = Vec::new();
    if let Some(via) = detail.via {
        facts.push(
            match via {
                Via::Api => t.via_api,
                Via::Portal => t.via_portal,
                Via::InvitationPage => t.via_invitation_page,
                Via::Demo => t.via_demo,
            }
            .to_string(),
        );
    }
    if let Some(code) = &detail.invitation {
        facts.push(format!("{} {code}", t.fact_invitation));
    }
    if detail.root {
        facts.push(t.root_member.to_string());
    }
    match (&detail.sponsor_was, &detail.sponsor) {
        (Some(was), Some(now)) => facts.push(format!("{} {was} → {now}", t.sponsor)),
        (None, Some(now)) => facts.push(format!("{} {now}", t.sponsor)),
        _ => {}
    }
    match (&detail.role_was, &detail.role) {
        (Some(was), Some(now)) => facts.push(format!("{} {} → {}", t.fact_role, role(was), role(now))),
        (None, Some(now)) => facts.push(format!("{} {}", t.fact_role, role(now))),
        _ => {}
    }
    if detail.enabled_again {
        facts.push(t.fact_enabled_again.to_string());
    }
    if detail.disabled_already {
        facts.push(t.fact_disabled_already.to_string());
    }
    if let Some(name) = &detail.key_name {
        facts.push(format!("{} {name}", t.key_name));
    }
    if !detail.scopes.is_empty() {
        let scopes: Vec<&str> = detail.scopes.iter().map(|code| code.parse().map_or(code.as_str(), |scope| t.scope(scope))).collect();
        facts.push(format!("{} {}", t.scopes, scopes.join(t.list_separator)));
    }
    if let Some(amount) = &detail.amount {
        facts.push(format!("{} {amount}", t.amount));
    }
    if let Some(member) = &detail.member {
        facts.push(format!("{} {member}", t.actor_member));
    }
    if let Some(reason) = &detail.reason {
        facts.push(format!("{} {reason}", t.reason));
    }
    if let Some(day) = &detail.effective_from {
        facts.push(format!("{} {day}", t.effective_from));
    }
    if let Some(version) = detail.replaces {
        let changes: Vec<String> = detail.changed.iter().map(|path| field_label(path, t)).collect();
        let changes = if changes.is_empty() { t.fact_nothing.to_string() } else { changes.join(t.list_separator) };
        facts.push(format!("{} v{version}{}{} {changes}", t.fact_replaces, t.fact_separator, t.fact_changes));
    }
    if let Some(days) = detail.days_settled {
        facts.push(format!("{} {days}", t.fact_days_settled));
    }
    if let Some(sessions) = detail.sessions_ended {
        facts.push(format!("{} {sessions}", t.fact_sessions_ended));
    }
    if let Some(client) = &detail.client {
        facts.push(format!("{} {client}", t.fact_client));
    }
    facts.join(t.fact_separator)
}
