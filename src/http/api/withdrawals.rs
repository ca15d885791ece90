//! Withdrawals of available points: request (idempotent on a key), list, approve, reject, mark paid.
use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{instant, money};
use crate::app::withdrawals;
use crate::domain::error_code::ErrorCode;
use crate::domain::money::Money;
use crate::domain::phone::Phone;
use crate::domain::scope::Scope;
use crate::domain::withdrawal::{Decision, WithdrawalStatus};
use crate::graph::withdrawals::{self as stored, WithdrawalRow};
use crate::http::AppState;
use crate::http::api::payout_accounts::PayoutAccountView;
use crate::http::auth::ApiClient;
use crate::http::error::ApiError;
use crate::http::paging::{self, Page};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawalBody {
    #[schema(example = "13800000001")]
    phone: String,
    #[schema(example = "100.00")]
    amount: String,
    /// The caller's key for this request (1 to 100 characters): sending it again replays the answer.
    #[schema(example = "wd-20260110-0001")]
    idempotency_key: String,
}

/// A withdrawal as its member sees it (`/me/withdrawals`); the admin's `WithdrawalView` adds whose it is and who decided.
#[derive(Serialize, ToSchema)]
pub struct MyWithdrawal {
    pub id: String,
    #[schema(value_type = String)]
    pub amount: Money,
    /// Kept by the scheme (`withdrawal_fee_rate` × amount, rounded down).
    #[schema(value_type = String)]
    pub fee: Money,
    /// What the member receives.
    #[schema(value_type = String)]
    pub net: Money,
    /// `requested`, `approved`, `paid` or `rejected`.
    pub status: String,
    pub created_at: String,
    pub decided_at: Option<String>,
    pub paid_at: Option<String>,
    /// Where it is paid, masked, as the account was when it was asked for; null when the mall
    /// asked without one (it pays through its own channel).
    pub account: Option<PayoutAccountView>,
    /// Why it was rejected, when it was rejected with a reason.
    pub reject_reason: Option<String>,
}

pub(crate) fn my_withdrawal(row: WithdrawalRow) -> Result<MyWithdrawal, ApiError> {
    Ok(MyWithdrawal {
        amount: money(row.amount_fen)?,
        fee: money(row.fee_fen)?,
        net: money(row.amount_fen - row.fee_fen)?,
        created_at: instant(row.created_at_ms)?,
        decided_at: row.decided_at_ms.map(instant).transpose()?,
        paid_at: row.paid_at_ms.map(instant).transpose()?,
        account: crate::app::payout_accounts::masked(row.account_masked.as_deref()).map(PayoutAccountView::from),
        reject_reason: row.reject_reason,
        id: row.id,
        status: row.status.to_string(),
    })
}

#[derive(Serialize, ToSchema)]
pub struct WithdrawalView {
    #[serde(flatten)]
    withdrawal: MyWithdrawal,
    phone: String,
    decided_by: Option<String>,
}

fn view(row: WithdrawalRow) -> Result<WithdrawalView, ApiError> {
    Ok(WithdrawalView { phone: row.phone.clone(), decided_by: row.decided_by.clone(), withdrawal: my_withdrawal(row)? })
}

/// Request a withdrawal: the amount moves from available to frozen until it is paid or rejected.
///
/// Needs the scope `members:write` (the mall asks on its member's behalf), or `admin`. Deciding
/// needs `payouts:write`: separation of duties, so that no key with only one of them both asks
/// for a withdrawal and approves it.
#[utoipa::path(
    tag = "withdrawals", request_body = WithdrawalBody,
    responses((status = 201, body = WithdrawalView), (status = 403, description = "forbidden: the API key lacks members:write"),
              (status = 404, description = "member_not_found"),
              (status = 409, description = "idempotency_key_conflict"),
              (status = 422, description = "below_withdrawal_min, insufficient_points")),
    security(("bearer" = ["members:write"]))
)]
#[post("/withdrawals")]
pub async fn request(state: web::Data<AppState>, client: ApiClient, body: web::Json<WithdrawalBody>) -> Result<HttpResponse, ApiError> {
    client.require(Scope::MembersWrite)?;
    let phone = Phone::parse(&body.phone)?;
    let amount = Money::parse_positive(&body.amount)?;
    let row = withdrawals::request(&state, &client.actor(), &phone, amount, &body.idempotency_key).await?;
    Ok(HttpResponse::Created().json(view(row)?))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Only withdrawals in this status.
    status: Option<String>,
    limit: Option<i64>,
    cursor: Option<String>,
}

/// A withdrawal list's position: the last withdrawal shown, by creation time and id.
#[derive(Serialize, Deserialize)]
pub(crate) struct WithdrawalPosition(i64, String);

impl WithdrawalPosition {
    /// The withdrawal a list's page starts after, from the page's cursor.
    pub(crate) fn after(cursor: Option<&str>) -> Result<Option<(i64, String)>, ApiError> {
        Ok(cursor.map(paging::decode::<WithdrawalPosition>).transpose()?.map(|WithdrawalPosition(ms, id)| (ms, id)))
    }

    /// Cuts withdrawals read `limit + 1` at a time to a page; the next page's cursor when there is one.
    pub(crate) fn next_cursor(rows: &mut Vec<WithdrawalRow>, limit: i64) -> Option<String> {
        paging::cut(rows, limit, |r| WithdrawalPosition(r.created_at_ms, r.id.clone()))
    }
}

/// Withdrawals, the latest first, paged.
#[utoipa::path(
    tag = "withdrawals", params(ListQuery),
    responses((status = 200, body = Page<WithdrawalView>)),
    security(("bearer" = ["payouts:read"]))
)]
#[get("/withdrawals")]
pub async fn list(state: web::Data<AppState>, client: ApiClient, query: web::Query<ListQuery>) -> Result<HttpResponse, ApiError> {
    client.require(Scope::PayoutsRead)?;
    let status = match query.status.as_deref() {
        None => None,
        Some(text) => Some(WithdrawalStatus::parse(text).ok_or_else(|| {
            let statuses: Vec<&str> = WithdrawalStatus::ALL.iter().map(|s| s.as_str()).collect();
            ApiError::refused(ErrorCode::InvalidStatus, format!("unknown status {text:?}; statuses are {}", statuses.join(", ")))
        })?),
    };
    let limit = paging::limit(query.limit)?;
    let after = WithdrawalPosition::after(query.cursor.as_deref())?;
    let mut rows = stored::list(&state.graph, status, after, limit + 1).await?;
    let next_cursor = WithdrawalPosition::next_cursor(&mut rows, limit);
    let items = rows.into_iter().map(view).collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// One withdrawal, by its id: its status now, who decided it and when.
#[utoipa::path(tag = "withdrawals", params(("id" = String, Path)),
    responses((status = 200, body = WithdrawalView), (status = 403, description = "forbidden: the API key lacks payouts:read"),
              (status = 404, description = "withdrawal_not_found")),
    security(("bearer" = ["payouts:read"])))]
#[get("/withdrawals/{id}")]
pub async fn get(state: web::Data<AppState>, client: ApiClient, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    client.require(Scope::PayoutsRead)?;
    Ok(HttpResponse::Ok().json(view(withdrawals::get(&state, &path).await?)?))
}

async fn decide(
    state: &AppState,
    client: &ApiClient,
    id: &str,
    decision: Decision,
    reason: Option<&str>,
) -> Result<HttpResponse, ApiError> {
    client.require(Scope::PayoutsWrite)?;
    let row = withdrawals::decide(state, &client.actor(), id, decision, reason).await?;
    Ok(HttpResponse::Ok().json(view(row)?))
}

/// Approve a requested withdrawal (the amount stays frozen until it is marked paid).
#[utoipa::path(tag = "withdrawals", params(("id" = String, Path)),
    responses((status = 200, body = WithdrawalView), (status = 404, description = "withdrawal_not_found"), (status = 409, description = "withdrawal_state")),
    security(("bearer" = ["payouts:write"])))]
#[post("/withdrawals/{id}/approve")]
pub async fn approve(state: web::Data<AppState>, client: ApiClient, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    decide(&state, &client, &path, Decision::Approve, None).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectBody {
    /// Why, in words the member reads on its withdrawals page (1 to 200 characters).
    #[schema(example = "收款账户姓名与实名不符")]
    reason: Option<String>,
}

/// Reject a requested or approved withdrawal, with the reason its member is shown: the amount
/// returns to available. The body may be left out (no reason given).
#[utoipa::path(tag = "withdrawals", params(("id" = String, Path)), request_body(content = Option<RejectBody>),
    responses((status = 200, body = WithdrawalView), (status = 404, description = "withdrawal_not_found"), (status = 409, description = "withdrawal_state")),
    security(("bearer" = ["payouts:write"])))]
#[post("/withdrawals/{id}/reject")]
pub async fn reject(
    state: web::Data<AppState>,
    client: ApiClient,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let body: Option<RejectBody> = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        let read = serde_json::from_slice(&body);
        Some(read.map_err(|e| ApiError::refused(ErrorCode::InvalidBody, format!("the body is not the JSON this endpoint takes: {e}")))?)
    };
    decide(&state, &client, &path, Decision::Reject, body.as_ref().and_then(|b| b.reason.as_deref())).await
}

/// Mark an approved withdrawal paid: the frozen amount leaves the system.
#[utoipa::path(tag = "withdrawals", params(("id" = String, Path)),
    responses((status = 200, body = WithdrawalView), (status = 404, description = "withdrawal_not_found"), (status = 409, description = "withdrawal_state")),
    security(("bearer" = ["payouts:write"])))]
#[post("/withdrawals/{id}/paid")]
pub async fn paid(state: web::Data<AppState>, client: ApiClient, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    decide(&state, &client, &path, Decision::MarkPaid, None).await
}
