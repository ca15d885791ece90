//! The withdrawals queue: withdrawals of one status (the requested ones first of all), the
//! newest first, with where each is paid, its net amount and when it was decided. Each decision
//! is confirmed on its own page first (a rejection with the reason its member will read), and
//! the approved batch exports as the bank's payment file.
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::audit::{PAGE_SIZE, next_page, position};
use crate::app;
use crate::app::payout_accounts::masked;
use crate::domain::error_code::ErrorCode;
use crate::domain::payout_account::AccountKind;
use crate::domain::role::Permission;
use crate::domain::withdrawal::{Decision, WithdrawalStatus};
use crate::graph::withdrawals::{self, WithdrawalRow};
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::pages::format::{actor, filters, local_time, payout_account};
use crate::http::pages::i18n::Text;
use crate::http::pages::{Admin, AdminForm, Chrome, PageError, PageResult, html, see_other};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/withdrawals", web::get().to(page))
        .route("/withdrawals/payment-file.csv", web::get().to(payment_file))
        .route("/withdrawals/{id}/{decision}", web::get().to(confirm))
        .route("/withdrawals/{id}/{decision}", web::post().to(decide));
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

/// A decision by the last segment of its path, with the status it leads to.
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
    account: String,
    amount_fen: i64,
    fee_fen: i64,
    net_fen: i64,
    status: &'static str,
    created_at: String,
    decided_at: String,
    decided_by: String,
    reject_reason: String,
    buttons: Vec<(&'static str, &'static str, &'static str)>,
}

impl Line {
    fn of(row: WithdrawalRow, t: &'static Text, tz: chrono_tz::Tz, may_decide: bool) -> Line {
        Line {
            short_id: row.id.chars().take(8).collect(),
            account: payout_account(masked(row.account_masked.as_deref()).as_ref(), t),
            amount_fen: row.amount_fen,
            fee_fen: row.fee_fen,
            net_fen: row.amount_fen - row.fee_fen,
            status: status_label(t, row.status.as_str()),
            created_at: local_time(row.created_at_ms, tz, false),
            decided_at: row.decided_at_ms.map(|ms| local_time(ms, tz, false)).unwrap_or_default(),
            decided_by: row.decided_by.as_deref().map(|by| actor(by, t)).unwrap_or_default(),
            reject_reason: row.reject_reason.unwrap_or_default(),
            buttons: if may_decide { buttons(t, row.status.as_str()) } else { Vec::new() },
            id: row.id,
            phone: row.phone,
        }
    }
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
    /// The admin's role decides withdrawals (else the queue has no action column and no export).
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
    let lines = rows.into_iter().map(|row| Line::of(row, t, state.tz, may_decide)).collect();
    let moved_to = query.done.as_deref().and_then(decision).map(|(_, to)| status_label(t, to));
    let filters = STATUSES.into_iter().chain([ALL]).map(|s| (s, status_label(t, s))).collect();
    let chrome = Chrome::of(&admin, "withdrawals", &req);
    let page = WithdrawalsPage { chrome, status, filters, lines, moved_to, older, paged, may_decide };
    html(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "admin/withdrawal_confirm.html")]
struct ConfirmPage {
    chrome: Chrome,
    line: Line,
    /// The decision's path segment (`approve`, `reject`, `paid`), its question and what it does.
    decision: &'static str,
    title: &'static str,
    note: &'static str,
    /// The queue's filter to go back to.
    back: &'static str,
    /// After a refused rejection: the reason as typed and why it was refused.
    reason: String,
    error: Option<String>,
}

fn confirm_texts(t: &'static Text, decision: Decision) -> (&'static str, &'static str, &'static str) {
    match decision {
        Decision::Approve => ("approve", t.confirm_approve_title, t.confirm_approve_note),
        Decision::Reject => ("reject", t.confirm_reject_title, t.confirm_reject_note),
        Decision::MarkPaid => ("paid", t.confirm_paid_title, t.confirm_paid_note),
    }
}

#[derive(Deserialize)]
struct ConfirmQuery {
    status: Option<String>,
}

/// The decision, read before it is made: what the withdrawal is, where it goes, what deciding does.
async fn render_confirm(
    state: &AppState,
    admin: &Admin,
    req: &HttpRequest,
    id: &str,
    name: &str,
    back: Option<&str>,
    refused: Option<(String, String)>,
) -> PageResult {
    admin.require(Permission::DecideWithdrawals)?;
    let t = admin.t();
    let Some((decision, _)) = decision(name) else {
        return Err(admin.refused(ApiError::refused(ErrorCode::NotFound, "no such decision")));
    };
    let row = app::withdrawals::get(state, id).await.map_err(|e| admin.refused(e))?;
    let (decision, title, note) = confirm_texts(t, decision);
    let (reason, error) = refused.map_or((String::new(), None), |(reason, error)| (reason, Some(error)));
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = ConfirmPage {
        chrome: Chrome::of(admin, "withdrawals", req),
        line: Line::of(row, t, state.tz, true),
        decision,
        title,
        note,
        back: filter(back).unwrap_or(STATUSES[0]),
        reason,
        error,
    };
    html(status, &page)
}

async fn confirm(
    state: web::Data<AppState>,
    admin: Admin,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    query: web::Query<ConfirmQuery>,
) -> PageResult {
    let (id, name) = path.into_inner();
    render_confirm(&state, &admin, &req, &id, &name, query.status.as_deref(), None).await
}

#[derive(Deserialize)]
struct DecisionForm {
    /// The filter the admin was looking at, to go back to.
    status: Option<String>,
    /// Why it is rejected (a rejection only; required there).
    reason: Option<String>,
}

/// Approves, rejects (with its reason) or marks paid, with its audit entry, then back to the
/// queue; a rejection without a reason is shown again with the refusal.
async fn decide(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: AdminForm<DecisionForm>,
) -> PageResult {
    let admin = form.signed_in;
    admin.require(Permission::DecideWithdrawals)?;
    let (id, name) = path.into_inner();
    let Some((decision, _)) = decision(&name) else {
        return Err(admin.refused(ApiError::refused(ErrorCode::NotFound, "no such decision")));
    };
    let reason = form.fields.reason.clone().unwrap_or_default();
    let decided = app::withdrawals::decide(&state, &admin.actor(), &id, decision, Some(&reason)).await.map_err(ApiError::from);
    match decided {
        Ok(_) => {}
        Err(error) if error.code() == ErrorCode::InvalidReason => {
            let refused = (reason, admin.reason(&error));
            return render_confirm(&state, &admin, &req, &id, &name, form.fields.status.as_deref(), Some(refused)).await;
        }
        Err(error) => return Err(admin.refused(error)),
    }
    // Available and frozen changed: the dashboard's kept totals are out of date.
    state.dashboard.changed(&state.graph).await;
    let back = filter(form.fields.status.as_deref()).unwrap_or(STATUSES[0]);
    Ok(see_other(&format!("/admin/withdrawals?status={back}&done={name}")))
}

/// The bank's payment file: every approved withdrawal with its full payout account, as CSV for
/// Excel (UTF-8 with a byte order mark, amounts as plain decimals). Only for the roles that decide
/// withdrawals, since it holds whole card numbers; each export is in the audit log.
async fn payment_file(state: web::Data<AppState>, admin: Admin) -> Result<HttpResponse, PageError> {
    admin.require(Permission::DecideWithdrawals)?;
    let t = admin.t();
    let lines = app::withdrawals::payment_file(&state, &admin.actor()).await.map_err(|e| admin.refused(e))?;
    let failed = || admin.refused(ApiError::refused(ErrorCode::Internal, "writing the CSV failed"));
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let header = [
        t.withdrawal_id,
        t.phone,
        t.account_kind,
        t.account_real_name,
        t.account_bank,
        t.account_number,
        t.amount,
        t.fee,
        t.me_net,
        t.approved_at,
    ];
    out.write_record(header).map_err(|_| failed())?;
    let yuan = |fen: i64| crate::domain::money::Money::from_fen(fen).map(|m| m.to_string()).unwrap_or_default();
    for line in &lines {
        let w = &line.withdrawal;
        let (kind, name, bank, number) = match &line.account {
            None => (t.account_none, "", "", ""),
            Some(a) => {
                let kind = if a.kind == AccountKind::BankCard { t.account_bank_card } else { t.account_alipay };
                (kind, a.real_name.as_str(), a.bank.as_str(), a.number.as_str())
            }
        };
        let approved = w.decided_at_ms.map(|ms| local_time(ms, state.tz, true)).unwrap_or_default();
        let record = [
            w.id.as_str(),
            &w.phone,
            kind,
            name,
            bank,
            number,
            &yuan(w.amount_fen),
            &yuan(w.fee_fen),
            &yuan(w.amount_fen - w.fee_fen),
            &approved,
        ];
        out.write_record(record).map_err(|_| failed())?;
    }
    let body = out.into_inner().map_err(|_| failed())?;
    let file = format!("payment-file-{}.csv", state.now().with_timezone(&state.tz).format("%Y%m%d-%H%M"));
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}
