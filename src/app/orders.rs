//! Orders from the mall: idempotent intake on the mall's order id, reads, refunds. Each write is
//! one transaction of a few nodes whatever the depth of the tree: the order, its member (pool, own
//! volume, marked for the team fold, which adds it to the uplines' teams off the request path) and
//! the points paid out of available move together or not at all, behind the settlement's fence.
use chrono::{DateTime, Utc};

use super::{AppError, AppResult, Application, apply_movement, audit};
use crate::domain::audit::{Actor, AuditAction, Detail};
use crate::domain::day::BusinessDay;
use crate::domain::error_code::ErrorCode;
use crate::domain::ledger::Movement;
use crate::domain::money::Money;
use crate::domain::order_id::OrderId;
use crate::domain::phone::Phone;
use crate::graph::orders::{self, NewOrder, OrderRow};
use crate::graph::{Txn, fence, params};

/// How far in the future a `paid_at` may lie (clocks differ a little).
const CLOCK_SKEW_MS: i64 = 5 * 60 * 1000;

/// An order as the mall sends it, parsed.
#[derive(Clone, Debug)]
pub struct OrderRequest {
    pub order_id: OrderId,
    pub phone: Phone,
    pub amount: Money,
    /// Part of the amount paid with available points.
    pub points_paid: Money,
    pub paid_at: DateTime<Utc>,
}

/// What intake did: created the order, or found the same request already recorded (the same
/// answer either way).
pub enum Intake {
    Created(OrderRow),
    Replayed(OrderRow),
}

impl Intake {
    pub fn order(&self) -> &OrderRow {
        match self {
            Intake::Created(row) | Intake::Replayed(row) => row,
        }
    }
}

/// Records an order: grants points by the order levels in force on its paid day; `points_paid`
/// comes out of available points. The same id with the same request replays; with another, 409.
/// The order keeps who sent it (`created_by`): orders arrive by the hundred a second, so they are
/// not written into the audit log, which stays the record of what people and keys decided.
pub async fn intake(app: &Application, actor: &Actor, request: OrderRequest) -> AppResult<Intake> {
    let now_ms = app.now_ms();
    let paid_at_ms = request.paid_at.timestamp_millis();
    if paid_at_ms > now_ms + CLOCK_SKEW_MS {
        return Err(AppError::refused(ErrorCode::PaidAtInFuture, "paid_at lies in the future"));
    }
    let history = params::history(&app.graph).await?;
    let paid_day = BusinessDay::of(request.paid_at, app.tz);
    let in_force = &history.in_force(paid_day).params;
    let start_by_paid_day = in_force.start_day_by_paid_day(paid_day);
    let most = in_force.max_points_paid(request.amount);
    if request.points_paid > most {
        return Err(AppError::refused(
            ErrorCode::PointsPaidOverRatio,
            format!("points_paid may be at most {most} for an order of {} (points_usage_ratio)", request.amount),
        ));
    }
    let granted = in_force.grant(request.amount).map_err(|_| {
        AppError::refused(ErrorCode::GrantTooLarge, "the points this order would grant exceed the largest amount, 10000000000000.00")
    })?;
    let order = NewOrder {
        request_hash: orders::request_hash(
            request.order_id.as_str(),
            request.phone.as_str(),
            request.amount.fen(),
            request.points_paid.fen(),
            paid_at_ms,
        ),
        order_id: request.order_id,
        phone: request.phone,
        amount_fen: request.amount.fen(),
        points_paid_fen: request.points_paid.fen(),
        paid_at_ms,
        granted_fen: granted.fen(),
        created_by: actor.to_string(),
    };
    // Intakes do not take turns with the other writes: each writes a few nodes (a fence shard of
    // 64, the order, its member), so orders of different members rarely meet, and those that do
    // run again.
    app.graph.transaction(move |txn| Box::pin(intake_in(txn, order.clone(), start_by_paid_day, now_ms))).await
}

async fn intake_in(txn: &mut Txn, order: NewOrder, start_by_paid_day: BusinessDay, now_ms: i64) -> AppResult<Intake> {
    if let Some(existing) = orders::get_in(txn, &order.order_id).await? {
        return if existing.request_hash == order.request_hash {
            Ok(Intake::Replayed(existing))
        } else {
            Err(AppError::refused(ErrorCode::OrderIdConflict, "an order with this id was received with a different body"))
        };
    }
    // Behind the fence: an order arriving while a day settles starts after that day.
    let fence = fence::touch(txn, now_ms).await?;
    let start_day = fence.start_day(start_by_paid_day);
    let stored = orders::create_in(txn, &order, start_day, now_ms).await?.ok_or_else(AppError::member_not_found)?;
    if order.points_paid_fen > 0 {
        let points = Money::from_fen(order.points_paid_fen).map_err(|e| AppError::corrupt(format!("points paid: {e}")))?;
        apply_movement(txn, order.phone.as_str(), &Movement::order_payment(order.order_id.as_str(), points), now_ms).await?;
    }
    Ok(Intake::Created(stored))
}

/// An order with its figures after the latest settled day.
pub async fn get(app: &Application, order_id: &OrderId) -> AppResult<OrderRow> {
    orders::get(&app.graph, order_id).await?.ok_or_else(AppError::order_not_found)
}

/// Refunds an order: its amount leaves the member's own volume (and, by the team fold, every
/// upline's team volume) and its points paid return to
/// available at once; its remaining points leave the pool now, or, while a day is settling, once
/// that day is settled (the refund counts from the first day that has not begun). Refunding a
/// refunded order changes nothing.
pub async fn refund(app: &Application, actor: &Actor, order_id: &OrderId) -> AppResult<OrderRow> {
    let now_ms = app.now_ms();
    app.graph.write(move |txn| Box::pin(refund_in(txn, actor.clone(), order_id.clone(), now_ms))).await
}

async fn refund_in(txn: &mut Txn, actor: Actor, order_id: OrderId, now_ms: i64) -> AppResult<OrderRow> {
    let fence = fence::touch(txn, now_ms).await?;
    let order = orders::get_in(txn, &order_id).await?.ok_or_else(AppError::order_not_found)?;
    if order.refunded {
        return Ok(order);
    }
    let refund_day = fence.first_open_day();
    let refunded = match fence.running() {
        Some(_) => orders::refund_pending_in(txn, &order_id, refund_day, now_ms).await?,
        None => orders::refund_now_in(txn, &order, refund_day, now_ms).await?,
    }
    .ok_or_else(|| AppError::corrupt("a live order could not be refunded"))?;
    if refunded.points_fen > 0 {
        let points = Money::from_fen(refunded.points_fen).map_err(|e| AppError::corrupt(format!("points paid: {e}")))?;
        apply_movement(txn, &refunded.phone, &Movement::order_refund(order_id.as_str(), points), now_ms).await?;
    }
    let detail = Detail {
        amount: Some(rust_decimal::Decimal::new(order.amount_fen, 2).to_string()),
        member: Some(order.phone.clone()),
        ..Detail::default()
    };
    audit(txn, &actor, AuditAction::OrderRefund, order_id.as_str(), &detail, now_ms).await?;
    orders::get_in(txn, &order_id).await?.ok_or_else(|| AppError::corrupt("order vanished"))
}
