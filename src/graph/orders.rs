//! Orders as stored: reads, and the building blocks of intake and refunds (`app::orders` runs
//! them in one transaction with the ledger movement and the uplines' team volume).
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{Graph, GraphError, GraphResult, Txn};
use crate::cypher;
use crate::domain::day::BusinessDay;
use crate::domain::order_id::OrderId;
use crate::domain::phone::Phone;
use crate::settlement::calendar::ReleaseCalendar;

/// An order as received, amounts in fen, already checked against the parameters by `app::orders`.
#[derive(Clone)]
pub struct NewOrder {
    pub order_id: OrderId,
    pub phone: Phone,
    pub amount_fen: i64,
    pub points_paid_fen: i64,
    pub paid_at_ms: i64,
    pub granted_fen: i64,
    /// Who sent it (an actor: `api_key:ID`, `cli`).
    pub created_by: String,
    /// Fingerprint of the request's meaning, to tell a replay from a conflicting reuse of the id.
    pub request_hash: String,
}

/// An order as stored.
#[derive(Clone, Debug, Deserialize)]
pub struct OrderRow {
    pub order_id: String,
    pub phone: String,
    pub amount_fen: i64,
    pub points_paid_fen: i64,
    pub paid_at_ms: i64,
    /// The order takes part in the settlements of the days after this one (SPEC §1): its paid
    /// day, or the day a run had already begun when it arrived.
    pub start_day: String,
    pub granted_fen: i64,
    pub released_fen: i64,
    pub remaining_fen: i64,
    /// The settled day `remaining_fen` and `released_fen` hold after; `None`: as granted.
    pub remaining_day: Option<String>,
    pub refunded: bool,
    /// The first day the refund counts for (`None`: every day, the refund came before any run).
    pub refund_day: Option<String>,
    /// Refunded while the day before `refund_day` was settling: its points leave the pool once
    /// that day is settled.
    pub refund_pending: bool,
    pub refunded_fen: i64,
    pub refunded_at_ms: Option<i64>,
    pub request_hash: String,
}

/// The earliest day any order takes part in a settlement; `None` without orders.
pub async fn first_start_day(graph: &Graph) -> GraphResult<Option<BusinessDay>> {
    #[derive(Deserialize)]
    struct Row {
        day: Option<String>,
    }
    let row: Option<Row> = graph.row(cypher!("orders/first_start_day")).await?;
    row.and_then(|row| row.day)
        .map(|day| BusinessDay::parse(&day).map_err(|e| GraphError::Corrupt(format!("start day {day}: {e}"))))
        .transpose()
}

/// An order with its figures after the latest settled day.
pub async fn get(graph: &Graph, order_id: &OrderId) -> GraphResult<Option<OrderRow>> {
    let Some(stored) = graph.row::<OrderRow>(cypher!("orders/get").param("order_id", order_id.as_str())).await? else {
        return Ok(None);
    };
    let calendar = super::settlements::days::calendar(graph).await?;
    stored.brought_up_to_date(&calendar).map(Some)
}

/// A page of a member's orders (at most `limit`), the latest paid first, after `(paid_at_ms, order_id)`,
/// with their figures after the latest settled day.
pub async fn of_member(graph: &Graph, phone: &str, after: Option<(i64, String)>, limit: i64) -> GraphResult<Vec<OrderRow>> {
    let (after_ms, after_id) = after.map_or((None, None), |(ms, id)| (Some(ms), Some(id)));
    let query = cypher!("members/orders_of").param("phone", phone).param("after_ms", after_ms).param("after_id", after_id);
    let stored: Vec<OrderRow> = graph.rows(query.param("limit", limit)).await?;
    let calendar = super::settlements::days::calendar(graph).await?;
    stored.into_iter().map(|order| order.brought_up_to_date(&calendar)).collect()
}

impl OrderRow {
    /// The order's figures after the latest settled day: since they were last written it
    /// released on every settled day (see [`ReleaseCalendar`]).
    pub fn brought_up_to_date(mut self, calendar: &ReleaseCalendar) -> GraphResult<OrderRow> {
        let Some(through) = calendar.last_settled() else { return Ok(self) };
        if self.refunded && !self.refund_pending {
            return Ok(self);
        }
        let as_of = written_as_of(&self.order_id, self.remaining_day.as_deref(), &self.start_day)?;
        self.remaining_fen = calendar.remaining(self.amount_fen, self.remaining_fen, as_of, through);
        self.released_fen = self.granted_fen - self.remaining_fen;
        self.remaining_day = Some(through.max(as_of).to_string());
        Ok(self)
    }

    /// The first day the order releases on: the day after its start day.
    pub fn counts_from(&self) -> GraphResult<BusinessDay> {
        Ok(parse_day(&self.order_id, "start_day", &self.start_day)?.succ())
    }
}

/// The day an order's written figures hold after: the day they were written (`remaining_day`),
/// or else its start day (it releases from the day after).
pub fn written_as_of(order_id: &str, remaining_day: Option<&str>, start_day: &str) -> GraphResult<BusinessDay> {
    match remaining_day {
        Some(day) => parse_day(order_id, "remaining_day", day),
        None => parse_day(order_id, "start_day", start_day),
    }
}

fn parse_day(order_id: &str, field: &str, day: &str) -> GraphResult<BusinessDay> {
    day.parse().map_err(|_| GraphError::Corrupt(format!("order {order_id} {field} {day:?}")))
}

pub async fn get_in(txn: &mut Txn, order_id: &OrderId) -> GraphResult<Option<OrderRow>> {
    txn.row(cypher!("orders/get").param("order_id", order_id.as_str())).await
}

/// Creates an order with its start day and answers it as stored; `None` when its member does not
/// exist. Another process recording the same id meanwhile violates the id's constraint at commit
/// (a transient failure: the transaction runs again and finds it). The order comes from the
/// statement that creates it, not from a second read: ArcadeDB's index lookup can miss the
/// transaction's own new order while another transaction creates the same id.
pub async fn create_in(txn: &mut Txn, order: &NewOrder, start_day: BusinessDay, now_ms: i64) -> GraphResult<Option<OrderRow>> {
    txn.row(
        cypher!("orders/create")
            .param("order_id", order.order_id.as_str())
            .param("phone", order.phone.as_str())
            .param("amount_fen", order.amount_fen)
            .param("points_paid_fen", order.points_paid_fen)
            .param("paid_at_ms", order.paid_at_ms)
            .param("start_day", start_day.to_string())
            .param("granted_fen", order.granted_fen)
            .param("request_hash", order.request_hash.as_str())
            .param("created_by", order.created_by.as_str())
            .param("now_ms", now_ms),
    )
    .await
}

/// What a refund took out of the team volume: the order's cash and points paid, and its member.
#[derive(Deserialize)]
pub struct Refunded {
    pub phone: String,
    pub cash_fen: i64,
    pub points_fen: i64,
}

/// Marks a live order refunded from `refund_day` with its points still in the pool: a day is
/// settling, and they leave it when that day is settled.
pub async fn refund_pending_in(
    txn: &mut Txn,
    order_id: &OrderId,
    refund_day: Option<BusinessDay>,
    now_ms: i64,
) -> GraphResult<Option<Refunded>> {
    txn.row(
        cypher!("orders/refund_pending")
            .param("order_id", order_id.as_str())
            .param("refund_day", refund_day.map(|d| d.to_string()))
            .param("now_ms", now_ms),
    )
    .await
}

/// Marks a live order refunded from `refund_day`, its remaining points (as of the latest settled
/// day) leaving the pool now.
pub async fn refund_now_in(txn: &mut Txn, order: &OrderRow, refund_day: Option<BusinessDay>, now_ms: i64) -> GraphResult<Option<Refunded>> {
    let calendar = super::settlements::days::calendar_in(txn).await?;
    let current = order.clone().brought_up_to_date(&calendar)?;
    txn.row(
        cypher!("orders/refund")
            .param("order_id", order.order_id.as_str())
            .param("refund_day", refund_day.map(|d| d.to_string()))
            .param("remaining_fen", current.remaining_fen)
            .param("settled_day", current.remaining_day)
            .param("now_ms", now_ms),
    )
    .await
}

#[derive(serde::Serialize)]
struct CompletedRefund {
    order_id: String,
    remaining_fen: i64,
    settled_day: Option<String>,
}

/// Takes the points of the refunds that arrived while `day` (settled) was settling out of their
/// pools, with what each order held after `day`.
pub async fn complete_pending_refunds(graph: &Graph, day: BusinessDay) -> GraphResult<()> {
    graph.write(move |txn| Box::pin(complete_pending_refunds_in(txn, day))).await
}

async fn complete_pending_refunds_in(txn: &mut Txn, day: BusinessDay) -> GraphResult<()> {
    let calendar = super::settlements::days::calendar_in(txn).await?;
    let calendar = &calendar;
    let pending: Vec<OrderRow> = txn.rows(cypher!("orders/pending_refunds").param("refund_day", day.succ().to_string())).await?;
    if pending.is_empty() {
        return Ok(());
    }
    let rows = pending
        .into_iter()
        .map(|order| {
            let current = order.brought_up_to_date(calendar)?;
            Ok(CompletedRefund { order_id: current.order_id, remaining_fen: current.remaining_fen, settled_day: current.remaining_day })
        })
        .collect::<GraphResult<Vec<_>>>()?;
    // Each order only while still pending: two servers closing the same fence take its points
    // out once (the one that comes second writes fewer, or none).
    txn.run(cypher!("orders/complete_refunds").param("rows", super::bolt_rows(&rows)?)).await
}

/// The fingerprint stored with an order to tell a replay of its intake from another order: the
/// SHA-256, in hex, of the order id, phone, amount in fen, points paid in fen and paid-at
/// milliseconds, one per line.
pub fn request_hash(order_id: &str, phone: &str, amount_fen: i64, points_paid_fen: i64, paid_at_ms: i64) -> String {
    hex::encode(Sha256::digest(format!("{order_id}\n{phone}\n{amount_fen}\n{points_paid_fen}\n{paid_at_ms}").as_bytes()))
}
