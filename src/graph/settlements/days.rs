//! The settled days: each day's settlement (`(:Settlement {day})`, `running` from the moment its
//! run claims it until the run finishes, `settled` from then on), the latest day settled or being
//! settled, the history, and the release calendar of the settled days, which order reads and
//! intake need as much as a day's snapshot (it depends on no other module of `graph/`, so the
//! orders read it without a cycle).
use serde::Deserialize;

use crate::cypher;
use crate::domain::amounts::ByKind;
use crate::domain::day::BusinessDay;
use crate::domain::money::{Money, Rate};
use crate::domain::settlement::SettlementStatus;
use crate::graph::{Graph, GraphError, GraphResult, Txn};
use crate::settlement::calendar::ReleaseCalendar;

/// A settlement as stored.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct SettlementRow {
    pub day: BusinessDay,
    pub status: SettlementStatus,
    /// Who runs the day while it is running (a process and a run of it).
    pub owner: Option<String>,
    /// Until when the owner's claim holds, unless renewed; `None` once settled.
    pub lease_until_ms: Option<i64>,
    /// The computed batches and totals are stored.
    pub planned: bool,
    pub params_version: i64,
    pub batches_done: i64,
    pub batches_total: i64,
    pub batch_members: i64,
    /// The day's statements summed kind by kind (zero until the day is planned).
    #[serde(flatten, deserialize_with = "super::money_by_kind")]
    pub totals: ByKind<Money>,
    pub members_paid: i64,
    pub statements: i64,
    pub started_at_ms: i64,
    pub settled_at_ms: Option<i64>,
}

#[derive(Deserialize)]
struct LastDay {
    day: Option<BusinessDay>,
}

/// The latest settled business day, or the day a run is settling: parameter versions from it are
/// refused like those of a settled day.
pub async fn last_settled_day(graph: &Graph) -> GraphResult<Option<BusinessDay>> {
    Ok(graph.row::<LastDay>(cypher!("settlements/last_settled_day")).await?.and_then(|r| r.day))
}

pub(super) async fn last_settled_day_in(txn: &mut Txn) -> GraphResult<Option<BusinessDay>> {
    Ok(txn.row::<LastDay>(cypher!("settlements/last_settled_day")).await?.and_then(|r| r.day))
}

pub async fn get(graph: &Graph, day: BusinessDay) -> GraphResult<Option<SettlementRow>> {
    graph.row(cypher!("settlements/get").param("day", day.to_string())).await
}

pub(super) async fn get_in(txn: &mut Txn, day: BusinessDay) -> GraphResult<Option<SettlementRow>> {
    txn.row(cypher!("settlements/get").param("day", day.to_string())).await
}

/// The settlement of a day whose run has begun and not finished, if any.
pub async fn running(graph: &Graph) -> GraphResult<Option<SettlementRow>> {
    graph.row(cypher!("settlements/running")).await
}

pub(super) async fn running_in(txn: &mut Txn) -> GraphResult<Option<SettlementRow>> {
    txn.row(cypher!("settlements/running")).await
}

/// Settlements, the latest first, before `before` (a day) when given.
pub async fn history(graph: &Graph, before: Option<BusinessDay>, limit: i64) -> GraphResult<Vec<SettlementRow>> {
    graph.rows(cypher!("settlements/history").param("before", before.map(|d| d.to_string())).param("limit", limit)).await
}

#[derive(Deserialize)]
struct SettledDay {
    day: BusinessDay,
    release_rate: Rate,
}

fn decode_calendar(rows: Vec<SettledDay>) -> GraphResult<ReleaseCalendar> {
    let days: Vec<(BusinessDay, Rate)> = rows.into_iter().map(|row| (row.day, row.release_rate)).collect();
    ReleaseCalendar::new(&days).map_err(|gap| GraphError::Corrupt(gap.to_string()))
}

/// The settled days with the release rate each was settled with: what an order's figures after
/// the latest settled day are computed from.
pub async fn calendar(graph: &Graph) -> GraphResult<ReleaseCalendar> {
    decode_calendar(graph.rows(cypher!("settlements/settled_days")).await?)
}

pub async fn calendar_in(txn: &mut Txn) -> GraphResult<ReleaseCalendar> {
    decode_calendar(txn.rows(cypher!("settlements/settled_days")).await?)
}
