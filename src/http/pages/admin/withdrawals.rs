//! The withdrawals queue: withdrawals of one status (the requested ones first of all), the
//! newest first, each with the buttons its status allows.
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use askama::Template;
use serde::Deserialize;

use super::audit::{PAGE_SIZE, next_page, position};
use crate::app;
use crate::domain::error_code::ErrorCode;
use crate::domain::role::Permission;
use crate::domain::withdrawal::{Decision, WithdrawalStatus};
use crate::graph::withdrawals;
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::pages::format::{actor, filters, local_time};
use crate::http::pages::i18n::Text;
use crate::http::pages::{Admin, AdminForm, Chrome, PageResult, html, see_other};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/withdrawals", web::get().to(page)).route("/withdrawals/{id}/{decision}", web::post().to(decide));
}

/// The statuses a withdrawal can have, in the order it goes through them.
const STATUSES: [&str; 4] = ["requested", "approved", "rejected", "paid"];
/// The filter that shows every status.
const ALL: &str = "all";

fn status_label(t: &'static Text, status: &str) -> &'static str {
    match status {
        "requested" => t.status_requested,
        "approved" => t.status_approved,
        "rejected" => t.status_rejected,
        "paid" => t.status_paid,
        _ => t.all_statuses,
    }
}

/// A decision by the last segment of its form's path, with the status it leads to.
fn decision(name: &str) -> Option<(Decision, &'static str)> {
    match name {
        "approve" => Some((Decision::Approve, "approved")),
        "reject" => Some((Decision::Reject, "rejected")),
        "paid" => Some((Decision::MarkPaid, "paid")),
        _ => None,
    }
}

/// The buttons a status offers: (path segment, label, CSS class).
fn buttons(t: &'static Text, status: &str) -> Vec<(&'static str, &'static str, &'static str)> {
    match status {
        "requested" => vec![("approve", t.approve, ""), ("reject", t.reject, "danger")],
        "approved" => vec![("paid", t.mark_paid, ""), ("reject", t.reject, "danger")],
        _ => Vec::new(),
    }
}

/// The status filter as asked, or the requested ones when none was.
fn filter(asked: Option<&str>) -> Option<&'static str> {
    match asked.map(str::trim) {
        None | Some("") => Some(STATUSES[0]),
        Some(asked) => std::iter::once(ALL).chain(STATUSES).find(|s| *s == asked),
    }
}

struct Line {
    id: String,
    /// Enough of the id to tell rows apart on a phone.
    short_id: String,
    phone: String,
    amount_fen: i64,
    fee_fen: i64,
    status: &'static str,
    created_at: String,
    decided_by: String,
    buttons: Vec<(&'static str, &'static str, &'static str)>,
}

#[derive(Template)]
#[template(path = "admin/withdrawals.html")]
struct WithdrawalsPage {
    chrome: Chrome,
    /// The filter shown (`all` or a status).
    status: &'static str,
    /// Every filter: (value, label).
    filters: Vec<(&'static str, &'static str)>,
    lines: Vec<Line>,
    /// The status a decision just led to, for the notice.
    moved_to: Option<&'static str>,
    older: Option<String>,
    paged: bool,
    /// The admin's role decides withdrawals (else the queue has no action column).
    may_decide: bool,
}

#[derive(Deserialize)]
struct ListQuery {
    status: Option<String>,
    cursor: Option<String>,
    done: Option<String>,
}

async fn page(state: web::Data<AppState>, admin: Admin, req: HttpRequest, query: web::Query<ListQuery>) -> PageResult {
    let t = admin.t();
    let Some(status) = filter(query.status.as_deref()) else {
        let known = format!("{ALL}, {}", STATUSES.join(", "));
        return Err(admin.refused(ApiError::refused(ErrorCode::InvalidStatus, format!("statuses are {known}"))));
    };
    let after = position(query.cursor.as_deref()).map_err(|e| admin.refused(e))?;
    let paged = after.is_some();
    let may_decide = admin.may(Permission::DecideWithdrawals);
    let only = WithdrawalStatus::parse(status);
    let mut rows = withdrawals::list(&state.graph, only, after, PAGE_SIZE + 1).await.map_err(|e| admin.refused(e))?;
    let older = next_page(&mut rows, |row| (row.created_at_ms, row.id.clone()));
    let lines = rows
        .into_iter()
        .map(|row| Line {
            short_id: row.id.chars().take(8).collect(),
            amount_fen: row.amount_fen,
            fee_fen: row.fee_fen,
            status: status_label(t, row.status.as_str()),
            created_at: local_time(row.created_at_ms, state.tz, false),
            decided_by: row.decided_by.as_deref().map(|by| actor(by, t)).unwrap_or_default(),
            buttons: if may_decide { buttons(t, row.status.as_str()) } else { Vec::new() },
            id: row.id,
            phone: row.phone,
        })
        .collect();
    let moved_to = query.done.as_deref().and_then(decision).map(|(_, to)| status_label(t, to));
    let filters = STATUSES.into_iter().chain([ALL]).map(|s| (s, status_label(t, s))).collect();
    let chrome = Chrome::of(&admin, "withdrawals", &req);
    let page = WithdrawalsPage { chrome, status, filters, lines, moved_to, older, paged, may_decide };
    html(StatusCode::OK, &page)
}

#[derive(Deserialize)]
struct DecisionForm {
    /// The filter the admin was looking at, to go back to.
    status: Option<String>,
}

/// Approves, rejects or marks paid (with its audit entry), then back to the queue.
async fn decide(state: web::Data<AppState>, path: web::Path<(String, String)>, form: AdminForm<DecisionForm>) -> PageResult {
    let admin = form.signed_in;
    admin.require(Permission::DecideWithdrawals)?;
    let (id, name) = path.into_inner();
    let Some((decision, _)) = decision(&name) else {
        return Err(admin.refused(ApiError::refused(ErrorCode::NotFound, "no such decision")));
    };
    app::withdrawals::decide(&state, &admin.actor(), &id, decision).await.map_err(|e| admin.refused(e))?;
    // Available and frozen changed: the dashboard's kept totals are out of date.
    state.dashboard.changed(&state.graph).await;
    let back = filter(form.fields.status.as_deref()).unwrap_or(STATUSES[0]);
    Ok(see_other(&format!("/admin/withdrawals?status={back}&done={name}")))
}
