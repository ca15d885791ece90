//! Orders from the mall: idempotent intake on the mall's order id, reads, refunds.
use actix_web::{HttpResponse, get, post, web};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

// Instants with the scheme's offset: the mall reads the paid day off them as the settlement counts it.
use super::{local_instant, money};
use crate::app::orders::{self, OrderRequest};
use crate::domain::day::parse_rfc3339_instant;
use crate::domain::money::Money;
use crate::domain::order_id::OrderId;
use crate::domain::phone::Phone;
use crate::domain::scope::Scope;
use crate::graph::orders::{self as stored, OrderRow};
use crate::http::AppState;
use crate::http::auth::ApiClient;
use crate::http::error::ApiError;
use crate::http::paging::{self, Page};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderBody {
    #[schema(example = "M20260110-0001")]
    order_id: String,
    #[schema(example = "13800000001")]
    phone: String,
    #[schema(example = "3000.00")]
    amount: String,
    /// Part of the amount paid with available points (default 0).
    #[schema(example = "0.00")]
    points_paid: Option<String>,
    #[schema(example = "2026-01-10T10:00:00+08:00")]
    paid_at: String,
}

/// The answer to an intake; a replay of the same request gets the same answer.
#[derive(Serialize, ToSchema)]
pub struct OrderReceipt {
    order_id: String,
    phone: String,
    #[schema(value_type = String)]
    amount: Money,
    #[schema(value_type = String)]
    points_paid: Money,
    paid_at: String,
    /// The first day the order takes part in a settlement: the day after its paid day, or, for an
    /// order that arrived after a later day's settlement had begun, the day after that one.
    #[schema(example = "2026-01-11")]
    counts_from: String,
    /// Points granted into the member's pool.
    #[schema(value_type = String, example = "7500.00")]
    granted: Money,
}

#[derive(Serialize, ToSchema)]
pub struct OrderView {
    order_id: String,
    phone: String,
    #[schema(value_type = String)]
    amount: Money,
    #[schema(value_type = String)]
    points_paid: Money,
    paid_at: String,
    /// The first day the order takes part in a settlement (see the intake's answer).
    #[schema(example = "2026-01-11")]
    counts_from: String,
    #[schema(value_type = String)]
    granted: Money,
    #[schema(value_type = String)]
    released: Money,
    #[schema(value_type = String)]
    remaining: Money,
    /// Points that left the pool when the order was refunded (granted = released + remaining + refunded).
    #[schema(value_type = String)]
    refunded: Money,
    /// `live`, `complete` (everything released) or `refunded`.
    status: &'static str,
    refunded_at: Option<String>,
    /// The first day the refund counts for: settlements from it leave the order out (null when
    /// the refund came before any settlement, or the order is not refunded).
    #[schema(example = "2026-02-01")]
    refunded_from: Option<String>,
}

fn receipt(row: &OrderRow, tz: Tz) -> Result<OrderReceipt, ApiError> {
    Ok(OrderReceipt {
        order_id: row.order_id.clone(),
        phone: row.phone.clone(),
        amount: money(row.amount_fen)?,
        points_paid: money(row.points_paid_fen)?,
        paid_at: local_instant(row.paid_at_ms, tz),
        counts_from: row.counts_from()?.to_string(),
        granted: money(row.granted_fen)?,
    })
}

pub(crate) fn view(row: OrderRow, tz: Tz) -> Result<OrderView, ApiError> {
    let status = if row.refunded {
        "refunded"
    } else if row.remaining_fen == 0 {
        "complete"
    } else {
        "live"
    };
    Ok(OrderView {
        amount: money(row.amount_fen)?,
        points_paid: money(row.points_paid_fen)?,
        paid_at: local_instant(row.paid_at_ms, tz),
        counts_from: row.counts_from()?.to_string(),
        granted: money(row.granted_fen)?,
        released: money(row.released_fen)?,
        remaining: money(row.remaining_fen)?,
        refunded: money(row.refunded_fen)?,
        status,
        refunded_at: row.refunded_at_ms.map(|ms| local_instant(ms, tz)),
        refunded_from: row.refund_day,
        order_id: row.order_id,
        phone: row.phone,
    })
}

/// Record an order: grants points by the order levels in force on its paid day; `points_paid`
/// comes out of available points.
#[utoipa::path(
    tag = "orders", request_body = OrderBody,
    responses((status = 201, body = OrderReceipt, description = "created, or the replay of the same request"),
              (status = 400, body = crate::http::error::ErrorBody), (status = 404, description = "member_not_found"),
              (status = 409, description = "order_id_conflict"),
              (status = 422, description = "points_paid_over_ratio, insufficient_points, paid_at_in_future, grant_too_large")),
    security(("bearer" = ["orders:write"]))
)]
#[post("/orders")]
pub async fn intake(state: web::Data<AppState>, client: ApiClient, body: web::Json<OrderBody>) -> Result<HttpResponse, ApiError> {
    client.require(Scope::OrdersWrite)?;
    let body = body.into_inner();
    let request = OrderRequest {
        order_id: OrderId::parse(&body.order_id)?,
        phone: Phone::parse(&body.phone)?,
        amount: Money::parse_positive(&body.amount)?,
        points_paid: body.points_paid.as_deref().map(Money::parse).transpose()?.unwrap_or(Money::ZERO),
        paid_at: parse_rfc3339_instant(&body.paid_at)?,
    };
    let intake = orders::intake(&state, &client.actor(), request).await?;
    Ok(HttpResponse::Created().json(receipt(intake.order(), state.tz)?))
}

/// An order with its pool: granted, released, remaining, refunded.
///
/// Needs the scope `orders:write` (the mall reads the orders it records), or `admin`.
#[utoipa::path(
    tag = "orders", params(("order_id" = String, Path)),
    responses((status = 200, body = OrderView), (status = 403, description = "forbidden: the API key lacks orders:write"),
              (status = 404, description = "order_not_found")),
    security(("bearer" = ["orders:write"]))
)]
#[get("/orders/{order_id}")]
pub async fn get(state: web::Data<AppState>, client: ApiClient, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    client.require(Scope::OrdersWrite)?;
    let order_id = OrderId::parse(&path)?;
    Ok(HttpResponse::Ok().json(view(orders::get(&state, &order_id).await?, state.tz)?))
}

/// Refund an order: its remaining points leave the pool, its points paid return to available,
/// its amount leaves the uplines' team volume. Refunding it again changes nothing.
#[utoipa::path(
    tag = "orders", params(("order_id" = String, Path)),
    responses((status = 200, body = OrderView), (status = 404, description = "order_not_found")),
    security(("bearer" = ["orders:write"]))
)]
#[post("/orders/{order_id}/refund")]
pub async fn refund(state: web::Data<AppState>, client: ApiClient, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    client.require(Scope::OrdersWrite)?;
    let order_id = OrderId::parse(&path)?;
    let row = orders::refund(&state, &client.actor(), &order_id).await?;
    Ok(HttpResponse::Ok().json(view(row, state.tz)?))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MemberOrdersQuery {
    limit: Option<i64>,
    cursor: Option<String>,
}

/// An order list's position: the last order shown, by paid time and order id.
#[derive(Serialize, Deserialize)]
struct OrderPosition(i64, String);

/// A page of `phone`'s orders, the latest paid first.
pub(crate) async fn page_of(state: &AppState, phone: &Phone, query: &MemberOrdersQuery) -> Result<Page<OrderView>, ApiError> {
    let limit = paging::limit(query.limit)?;
    let after = query.cursor.as_deref().map(paging::decode::<OrderPosition>).transpose()?.map(|OrderPosition(ms, id)| (ms, id));
    let mut rows = stored::of_member(&state.graph, phone.as_str(), after, limit + 1).await?;
    let next_cursor = paging::cut(&mut rows, limit, |r| OrderPosition(r.paid_at_ms, r.order_id.clone()));
    let items = rows.into_iter().map(|row| view(row, state.tz)).collect::<Result<Vec<_>, _>>()?;
    Ok(Page { items, next_cursor })
}

/// A member's orders, the latest paid first, paged, each with its pool and status.
///
/// Needs the scope `members:read` (or `admin`), like the member's other figures.
#[utoipa::path(
    tag = "members", params(("phone" = String, Path), MemberOrdersQuery),
    responses((status = 200, body = Page<OrderView>), (status = 403, description = "forbidden: the API key lacks members:read"),
              (status = 404, description = "member_not_found")),
    security(("bearer" = ["members:read"]))
)]
#[get("/members/{phone}/orders")]
pub async fn of_member(
    state: web::Data<AppState>,
    client: ApiClient,
    path: web::Path<String>,
    query: web::Query<MemberOrdersQuery>,
) -> Result<HttpResponse, ApiError> {
    client.require(Scope::MembersRead)?;
    let phone = Phone::parse(&path)?;
    if !crate::graph::members::exists(&state.graph, &phone).await? {
        return Err(crate::app::AppError::member_not_found().into());
    }
    Ok(HttpResponse::Ok().json(page_of(&state, &phone, &query).await?))
}
