//! The audit log page: who did what to which target, the newest first, a page at a time. Its
//! paging (a cursor naming the last row shown) is shared with the outbox and withdrawals pages.
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use askama::Template;
use serde::Deserialize;

use super::params::field_label;
use crate::domain::audit::{Detail, Via};
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
    lines: Vec<Line>,
    /// The cursor of the next (older) page.
    older: Option<String>,
    /// Whether this is a later page, which links back to the newest.
    paged: bool,
}

async fn page(state: web::Data<AppState>, admin: Admin, req: HttpRequest, query: web::Query<CursorQuery>) -> PageResult {
    let before = position(query.cursor.as_deref()).map_err(|e| admin.refused(e))?;
    let paged = before.is_some();
    let mut rows = audit::list(&state.graph, before, PAGE_SIZE + 1).await.map_err(|e| admin.refused(e))?;
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
    html(StatusCode::OK, &AuditPage { chrome: Chrome::of(&admin, "audit", &req), lines, older, paged })
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
