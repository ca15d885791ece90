//! Settlements in the graph: claiming a day behind the fence, reading its snapshot in bulk, and
//! writing its result in batches that a crash cannot half-apply.
//!
//! A run claims the next day: `(:Settlement {day, status: 'running', owner, lease_until_ms})`,
//! then raises the fence to the day (see [`super::fence`]) and records the parameter version in
//! force on it. The claim is a lease
//! the owner renews as it goes; a second claimant is refused while it lasts and takes the run over
//! once it has expired. The run then reads the day's snapshot (everything that arrived after the
//! fence is marked to take effect later, so the snapshot is the day as the fence froze it),
//! computes it, stores the computed batches (`PlanBatch`) and the totals, and writes batch after
//! batch, each in one transaction that also moves the settlement's `batches_done` from k to k + 1
//! (so a batch is applied once or not at all, and only by the owner). A run taken over writes the
//! stored batches; it computes the day again only when the batches were never stored, and then
//! nothing of the day was written yet. A batch adds its members' releases to their credits
//! (`Credit`: settlements only ever add to it, so a batch never writes a node an intake writes),
//! records their statements, and writes the orders an accelerated release was paid out of,
//! keeping those orders' figures from before the day (`prev_remaining_*`). The last transaction
//! marks the day settled; then the fence records it, and the refunds that arrived meanwhile
//! leave their pools.
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{Graph, GraphError, GraphResult, Txn, bolt_rows};
use crate::cypher;
use crate::domain::day::BusinessDay;
use crate::domain::money::Rate;
use crate::settlement::calendar::ReleaseCalendar;
use crate::settlement::engine::{Member, Order, Snapshot};

#[derive(Deserialize)]
struct LastDay {
    day: Option<String>,
}

/// The latest settled business day, or the day a run is settling: parameter versions from it are
/// refused like those of a settled day.
pub async fn last_settled_day(graph: &Graph) -> GraphResult<Option<BusinessDay>> {
    decode_last(graph.row(cypher!("settlements/last_settled_day")).await?)
}

fn decode_last(row: Option<LastDay>) -> GraphResult<Option<BusinessDay>> {
    row.and_then(|r| r.day).map(|day| parse_day(&day)).transpose()
}

fn parse_day(day: &str) -> GraphResult<BusinessDay> {
    day.parse().map_err(|_| GraphError::Corrupt(format!("settlement day {day:?}")))
}

#[derive(Deserialize)]
struct SettledDay {
    day: String,
    release_rate: String,
}

fn decode_calendar(rows: Vec<SettledDay>) -> GraphResult<ReleaseCalendar> {
    let days = rows
        .iter()
        .map(|row| {
            let rate = Rate::parse(&row.release_rate).map_err(|e| GraphError::Corrupt(format!("release rate of {}: {e}", row.day)))?;
            Ok((parse_day(&row.day)?, rate))
        })
        .collect::<GraphResult<Vec<_>>>()?;
    ReleaseCalendar::new(&days).map_err(|gap| GraphError::Corrupt(gap.to_string()))
}

/// The settled days with the release rate each was settled with.
pub async fn calendar(graph: &Graph) -> GraphResult<ReleaseCalendar> {
    decode_calendar(graph.rows(cypher!("settlements/settled_days")).await?)
}

pub async fn calendar_in(txn: &mut Txn) -> GraphResult<ReleaseCalendar> {
    decode_calendar(txn.rows(cypher!("settlements/settled_days")).await?)
}

/// A settlement as stored.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct SettlementRow {
    pub day: String,
    pub status: String,
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
    pub static_fen: i64,
    pub share_g1_fen: i64,
    pub share_g2_fen: i64,
    pub team_fen: i64,
    pub peer_fen: i64,
    pub forfeited_fen: i64,
    pub members_paid: i64,
    pub statements: i64,
    pub started_at_ms: i64,
    pub settled_at_ms: Option<i64>,
}

pub async fn get(graph: &Graph, day: BusinessDay) -> GraphResult<Option<SettlementRow>> {
    graph.row(cypher!("settlements/get").param("day", day.to_string())).await
}

/// The settlement of a day whose run has begun and not finished, if any.
pub async fn running(graph: &Graph) -> GraphResult<Option<SettlementRow>> {
    graph.row(cypher!("settlements/running")).await
}

/// Settlements, the latest first, before `before` (a day) when given.
pub async fn history(graph: &Graph, before: Option<BusinessDay>, limit: i64) -> GraphResult<Vec<SettlementRow>> {
    graph
        .rows(cypher!("settlements/history").param("before", before.map(|d| d.to_string())).param("limit", limit))
        .await
}

/// A day's snapshot with what the writes need to name members and orders.
pub struct DaySnapshot {
    pub snapshot: Snapshot,
    /// The phone of each snapshot member, ascending.
    pub phones: Vec<String>,
    /// The granted points of each snapshot order.
    pub granted_fen: Vec<i64>,
}

#[derive(Deserialize)]
struct MemberRead {
    phone: String,
    sponsor_phone: Option<String>,
    previous_sponsor_phone: Option<String>,
    sponsor_from_day: Option<String>,
    own_fen: i64,
}

impl MemberRead {
    /// The sponsor in force on `day`: the one before a change that takes effect after it.
    fn sponsor_on(&self, day: &str) -> Option<&str> {
        match self.sponsor_from_day.as_deref() {
            Some(from) if from > day => self.previous_sponsor_phone.as_deref(),
            _ => self.sponsor_phone.as_deref(),
        }
    }
}

#[derive(Deserialize)]
struct OrderVolumeRead {
    phone: String,
    amount_fen: i64,
}

#[derive(Deserialize)]
struct OrderRead {
    phone: String,
    order_id: String,
    amount_fen: i64,
    paid_at_ms: i64,
    start_day: String,
    granted_fen: i64,
    remaining_fen: i64,
    remaining_day: Option<String>,
    prev_remaining_fen: Option<i64>,
    prev_remaining_day: Option<String>,
}

/// Reads what settling `day` needs, as the day's fence froze it (or, before a fence, as it stands):
/// every member with its sponsor in force on the day and its own volume from the orders taking
/// part in the day, and every such order that may still hold points, with what it holds after the
/// previous day (`calendar`: the settled days). An order takes part in `day` when it starts before
/// it and is not refunded by it: whatever arrived after the fence starts, or is refunded, later.
pub async fn read_snapshot(graph: &Graph, day: BusinessDay, calendar: &ReleaseCalendar) -> GraphResult<DaySnapshot> {
    let day_text = day.to_string();
    let mut members: Vec<MemberRead> = graph.rows(cypher!("settlements/snapshot_members")).await?;
    members.sort_unstable_by(|a, b| a.phone.cmp(&b.phone));
    let index: HashMap<&str, u32> = members.iter().enumerate().map(|(i, m)| (m.phone.as_str(), i as u32)).collect();
    let find = |phone: &str| index.get(phone).copied().ok_or_else(|| GraphError::Corrupt(format!("no member {phone}")));
    let mut snapshot = Snapshot {
        members: members
            .iter()
            .map(|m| Ok(Member { sponsor: m.sponsor_on(&day_text).map(&find).transpose()?, own_volume_fen: m.own_fen }))
            .collect::<GraphResult<Vec<_>>>()?,
        orders: Vec::new(),
    };
    let late: Vec<OrderVolumeRead> = graph.rows(cypher!("settlements/snapshot_late_orders").param("day", day_text.as_str())).await?;
    for order in late {
        snapshot.members[find(&order.phone)? as usize].own_volume_fen -= order.amount_fen;
    }
    let refunded_later: Vec<OrderVolumeRead> =
        graph.rows(cypher!("settlements/snapshot_refunded_later").param("day", day_text.as_str())).await?;
    for order in refunded_later {
        snapshot.members[find(&order.phone)? as usize].own_volume_fen += order.amount_fen;
    }
    let previous = day.pred();
    let orders: Vec<OrderRead> = graph
        .rows(cypher!("settlements/snapshot_orders").param("day", day_text.as_str()))
        .await?;
    let mut granted_fen = Vec::with_capacity(orders.len());
    for order in orders {
        // Written by this very day in a run that stopped: what it held before the day was kept.
        let (written_fen, written_day) = if order.remaining_day.as_deref() == Some(day_text.as_str()) {
            (
                order.prev_remaining_fen.ok_or_else(|| GraphError::Corrupt(format!("order {} lost its figures", order.order_id)))?,
                order.prev_remaining_day,
            )
        } else {
            (order.remaining_fen, order.remaining_day)
        };
        let as_of = super::orders::written_as_of(&order.order_id, written_day.as_deref(), &order.start_day)?;
        let remaining_fen = calendar.remaining(order.amount_fen, written_fen, as_of, previous);
        if remaining_fen == 0 {
            continue;
        }
        granted_fen.push(order.granted_fen);
        snapshot.orders.push(Order {
            member: find(&order.phone)?,
            order_id: order.order_id,
            amount_fen: order.amount_fen,
            paid_at_ms: order.paid_at_ms,
            remaining_fen,
        });
    }
    let phones = members.into_iter().map(|m| m.phone).collect();
    Ok(DaySnapshot { snapshot, phones, granted_fen })
}

/// A day's computed totals, recorded with its stored batches.
#[derive(Clone, Debug, Serialize)]
pub struct DayTotals {
    pub batches_total: i64,
    pub batch_members: i64,
    pub static_fen: i64,
    pub share_g1_fen: i64,
    pub share_g2_fen: i64,
    pub team_fen: i64,
    pub peer_fen: i64,
    pub forfeited_fen: i64,
    pub members_paid: i64,
    pub statements: i64,
}

/// One member's statement of a day, written with its credit.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StatementWrite {
    pub key: String,
    pub phone: String,
    pub released_fen: i64,
    pub static_fen: i64,
    pub share_g1_fen: i64,
    pub share_g2_fen: i64,
    pub team_fen: i64,
    pub peer_fen: i64,
    pub forfeited_fen: i64,
    pub tier_rank: i64,
    pub team_volume_fen: i64,
    /// JSON: the direct-referral branches the member was entitled to something from.
    pub branches: String,
}

/// An order an accelerated release was paid out of, with its figures after the day.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OrderWrite {
    pub order_id: String,
    pub remaining_fen: i64,
    pub released_fen: i64,
}

/// One transaction's worth of a day's result.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Batch {
    pub statements: Vec<StatementWrite>,
    pub orders: Vec<OrderWrite>,
}

/// The key of a member's statement of a day: day and phone, so a day's statements sort by phone.
pub fn statement_key(day: BusinessDay, phone: &str) -> String {
    format!("{day}|{phone}")
}

fn batch_key(day: BusinessDay, number: i64) -> String {
    format!("{day}|{number}")
}

/// How long a run's transactions are run again after conflicts with intakes (a claim writes every
/// shard of the fence; a batch, orders a refund may write too): no client waits for them.
const SETTLEMENT_RETRY_BUDGET: std::time::Duration = std::time::Duration::from_secs(60);

/// What a claim found.
pub enum Claim {
    /// This run now holds `day` (the settlement as stored): a new day fenced just now, or a
    /// run whose owner's lease had expired, taken over.
    Day(SettlementRow),
    /// Another run holds a day; its lease lasts until `lease_until_ms`.
    Held { day: String, owner: String, lease_until_ms: i64 },
    /// Every day through the target is settled.
    Done,
}

#[derive(Deserialize)]
struct DayRow {}

/// Claims the next day to settle for `owner` until `lease_until_ms`: the day left running by a run
/// whose lease expired (taken over), or else the day after the latest settled one when it is not
/// after `through` (`through` itself when no day was ever settled: the first day is chosen). The claimant then raises the fence
/// ([`super::fence::raise`]) before it reads anything of the day.
pub async fn claim(
    graph: &Graph,
    through: BusinessDay,
    owner: &str,
    lease_until_ms: i64,
    now_ms: i64,
) -> GraphResult<Claim> {
    graph
        .transaction_retried_for(SETTLEMENT_RETRY_BUDGET, move |txn| {
            let owner = owner.to_string();
            Box::pin(async move { claim_in(txn, through, &owner, lease_until_ms, now_ms).await })
        })
        .await
}

async fn claim_in(
    txn: &mut Txn,
    through: BusinessDay,
    owner: &str,
    lease_until_ms: i64,
    now_ms: i64,
) -> GraphResult<Claim> {
    if let Some(running) = txn.row::<SettlementRow>(cypher!("settlements/running")).await? {
        let (seen_owner, seen_lease) = (running.owner.clone().unwrap_or_default(), running.lease_until_ms.unwrap_or(0));
        if seen_lease > now_ms {
            return Ok(Claim::Held { day: running.day, owner: seen_owner, lease_until_ms: seen_lease });
        }
        let taken: Option<DayRow> = txn
            .row(
                cypher!("settlements/take_over")
                    .param("day", running.day.as_str())
                    .param("seen_owner", seen_owner.as_str())
                    .param("seen_lease_until_ms", seen_lease)
                    .param("owner", owner)
                    .param("lease_until_ms", lease_until_ms),
            )
            .await?;
        if taken.is_none() {
            // Another run took it over between the read and this write.
            return Err(GraphError::ClaimLost);
        }
        tracing::warn!(day = %running.day, previous_owner = %seen_owner, %owner, "took over a run whose lease had expired");
        return Ok(Claim::Day(SettlementRow { owner: Some(owner.to_string()), lease_until_ms: Some(lease_until_ms), ..running }));
    }
    let day = match decode_last(txn.row(cypher!("settlements/last_settled_day")).await?)? {
        Some(last) => last.succ(),
        None => through,
    };
    if day > through {
        return Ok(Claim::Done);
    }
    let history = super::params::history_in(txn).await?;
    let in_force = history.in_force(day);
    let fenced: Option<DayRow> = txn
        .row(
            cypher!("settlements/fence")
                .param("day", day.to_string())
                .param("owner", owner)
                .param("lease_until_ms", lease_until_ms)
                .param("params_version", in_force.version)
                .param("release_rate", in_force.params.release_rate().to_string())
                .param("now_ms", now_ms),
        )
        .await?;
    if fenced.is_none() {
        return Err(GraphError::Corrupt(format!("the settlement of {day} was not created")));
    }
    let row: Option<SettlementRow> = txn.row(cypher!("settlements/get").param("day", day.to_string())).await?;
    row.map(Claim::Day).ok_or_else(|| GraphError::Corrupt(format!("the settlement of {day} vanished")))
}

/// Records on `owner`'s running day the parameter version in force on it, read after the fence
/// is raised (no version from the day on can be created any more); returns the version.
pub async fn record_version(graph: &Graph, day: BusinessDay, owner: &str) -> GraphResult<i64> {
    let in_force = super::params::history(graph).await?.in_force(day).clone();
    let recorded: Option<DayRow> = graph
        .row(
            cypher!("settlements/record_version")
                .param("day", day.to_string())
                .param("owner", owner)
                .param("params_version", in_force.version)
                .param("release_rate", in_force.params.release_rate().to_string()),
        )
        .await?;
    recorded.map(|_| in_force.version).ok_or(GraphError::ClaimLost)
}

/// Extends the lease of `owner`'s claim of `day`; `false` when the claim is no longer its own.
pub async fn renew_lease(graph: &Graph, day: BusinessDay, owner: &str, lease_until_ms: i64) -> GraphResult<bool> {
    let owner = owner.to_string();
    graph
        .transaction(move |txn| {
            let owner = owner.clone();
            Box::pin(async move {
                let renewed: Option<DayRow> = txn
                    .row(
                        cypher!("settlements/renew_lease")
                            .param("day", day.to_string())
                            .param("owner", owner)
                            .param("lease_until_ms", lease_until_ms),
                    )
                    .await?;
                Ok(renewed.is_some())
            })
        })
        .await
}

/// Gives up `owner`'s claim of `day` at once (a run stopped on purpose), so that the next run
/// takes it over without waiting for the lease.
pub async fn release(graph: &Graph, day: BusinessDay, owner: &str) -> GraphResult<()> {
    graph.run(cypher!("settlements/expire_lease").param("day", day.to_string()).param("owner", owner)).await
}

/// Stores the computed batches of `owner`'s running day, then its totals: from then on the day is
/// finished from what was stored.
pub async fn plan(graph: &Graph, day: BusinessDay, owner: &str, totals: &DayTotals, batches: &[Batch]) -> GraphResult<()> {
    for (number, batch) in batches.iter().enumerate() {
        let body = serde_json::to_string(batch).map_err(|e| GraphError::Encode(e.to_string()))?;
        graph
            .run(
                cypher!("settlements/store_batch")
                    .param("key", batch_key(day, number as i64))
                    .param("day", day.to_string())
                    .param("number", number as i64)
                    .param("body", body),
            )
            .await?;
    }
    let planned: Option<DayRow> = graph
        .row(
            cypher!("settlements/plan")
                .param("day", day.to_string())
                .param("owner", owner)
                .param("batches_total", totals.batches_total)
                .param("batch_members", totals.batch_members)
                .param("static_fen", totals.static_fen)
                .param("share_g1_fen", totals.share_g1_fen)
                .param("share_g2_fen", totals.share_g2_fen)
                .param("team_fen", totals.team_fen)
                .param("peer_fen", totals.peer_fen)
                .param("forfeited_fen", totals.forfeited_fen)
                .param("members_paid", totals.members_paid)
                .param("statements", totals.statements),
        )
        .await?;
    planned.map(|_| ()).ok_or(GraphError::ClaimLost)
}

/// Batch number `number` of a running day, as stored.
pub async fn stored_batch(graph: &Graph, day: BusinessDay, number: i64) -> GraphResult<Batch> {
    #[derive(Deserialize)]
    struct Stored {
        body: String,
    }
    let stored: Option<Stored> = graph.row(cypher!("settlements/stored_batch").param("key", batch_key(day, number))).await?;
    let stored = stored.ok_or_else(|| GraphError::Corrupt(format!("batch {number} of {day} is not stored")))?;
    serde_json::from_str(&stored.body).map_err(|e| GraphError::Corrupt(format!("batch {number} of {day}: {e}")))
}

/// Applies batch number `index` of `owner`'s running day in one transaction and extends the
/// lease; refused (and rolled back) unless exactly `index` batches are done.
pub async fn apply_batch(graph: &Graph, day: BusinessDay, owner: &str, index: i64, batch: &Batch, lease_until_ms: i64) -> GraphResult<()> {
    let statements = bolt_rows(&batch.statements)?;
    let orders = (!batch.orders.is_empty()).then(|| bolt_rows(&batch.orders)).transpose()?;
    let (statement_count, order_count) = (batch.statements.len(), batch.orders.len());
    let owner = owner.to_string();
    graph
        .transaction_retried_for(SETTLEMENT_RETRY_BUDGET, move |txn| {
            let (statements, orders, owner) = (statements.clone(), orders.clone(), owner.clone());
            Box::pin(async move {
                let claimed: Option<DayRow> = txn
                    .row(
                        cypher!("settlements/claim_batch")
                            .param("day", day.to_string())
                            .param("owner", owner)
                            .param("batch", index)
                            .param("lease_until_ms", lease_until_ms),
                    )
                    .await?;
                if claimed.is_none() {
                    return Err(GraphError::ClaimLost);
                }
                #[derive(Deserialize)]
                struct Count {
                    written: i64,
                }
                let credited: Option<Count> =
                    txn.row(cypher!("settlements/credit_members").param("day", day.to_string()).param("rows", statements)).await?;
                expect_written(credited.map(|c| c.written), statement_count, "members credited")?;
                if let Some(orders) = orders {
                    let written: Option<Count> =
                        txn.row(cypher!("settlements/write_orders").param("day", day.to_string()).param("rows", orders)).await?;
                    expect_written(written.map(|c| c.written), order_count, "orders written")?;
                }
                Ok(())
            })
        })
        .await
}

fn expect_written(written: Option<i64>, expected: usize, what: &str) -> GraphResult<()> {
    match written {
        Some(n) if n == expected as i64 => Ok(()),
        // An empty UNWIND returns no row at all on some servers.
        None if expected == 0 => Ok(()),
        other => Err(GraphError::Corrupt(format!("{what}: {other:?} of {expected}"))),
    }
}

/// Marks `owner`'s running day settled once all its batches are done, and drops its stored
/// batches; the fence is closed after it ([`super::fence::close`]).
pub async fn finish(graph: &Graph, day: BusinessDay, owner: &str, now_ms: i64) -> GraphResult<()> {
    let owner = owner.to_string();
    graph
        .transaction_retried_for(SETTLEMENT_RETRY_BUDGET, move |txn| {
            let owner = owner.clone();
            Box::pin(async move {
                let finished: Option<DayRow> = txn
                    .row(cypher!("settlements/finish").param("day", day.to_string()).param("owner", owner).param("now_ms", now_ms))
                    .await?;
                if finished.is_none() {
                    return Err(GraphError::ClaimLost);
                }
                txn.run(cypher!("settlements/drop_batches").param("day", day.to_string())).await
            })
        })
        .await
}

/// A statement as stored.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct StatementRow {
    pub day: String,
    pub phone: String,
    pub static_fen: i64,
    pub share_g1_fen: i64,
    pub share_g2_fen: i64,
    pub team_fen: i64,
    pub peer_fen: i64,
    pub forfeited_fen: i64,
    pub tier_rank: i64,
    pub team_volume_fen: i64,
    pub pool_after_fen: i64,
    pub available_after_fen: i64,
    pub branches: String,
}

/// A day's statements in phone order, after `after_phone` when given.
pub async fn payouts(graph: &Graph, day: BusinessDay, after_phone: Option<&str>, limit: i64) -> GraphResult<Vec<StatementRow>> {
    let after_key = statement_key(day, after_phone.unwrap_or(""));
    // '|' is followed by '}' in ASCII: every key of the day sorts below "day}".
    let end_key = format!("{day}}}");
    graph
        .rows(cypher!("settlements/payouts").param("after_key", after_key).param("end_key", end_key).param("limit", limit))
        .await
}

/// One member's credits of a settled day, without the statement's sources.
#[derive(Clone, Debug, Deserialize)]
pub struct PayoutAmounts {
    pub phone: String,
    pub static_fen: i64,
    pub share_g1_fen: i64,
    pub share_g2_fen: i64,
    pub team_fen: i64,
    pub peer_fen: i64,
    pub forfeited_fen: i64,
}

impl PayoutAmounts {
    /// Everything credited: static plus the paid accelerated release.
    pub fn total_fen(&self) -> i64 {
        self.static_fen + self.share_g1_fen + self.share_g2_fen + self.team_fen + self.peer_fen
    }
}

/// A page of one day's payouts (amounts only) in phone order, after `after_phone`.
///
/// The engine sorts a whole key range before it applies a limit, and a day has a statement per
/// paid member, so the page is read through key windows that widen as they come back sparse:
/// the phones sharing the next four digits, then three, then two, then the rest of the day.
/// A page costs at most four queries, each sorting about one window.
pub async fn payout_amounts(graph: &Graph, day: BusinessDay, after_phone: &str, limit: i64) -> GraphResult<Vec<PayoutAmounts>> {
    let mut rows: Vec<PayoutAmounts> = Vec::new();
    let mut after_key = statement_key(day, after_phone);
    // Where the next window starts; every phone begins with 1[3-9], so none sorts below "1300".
    let mut start = if after_phone.is_empty() { "1300".to_string() } else { after_phone.to_string() };
    for width in [4, 3, 2, 0] {
        let end = start.get(..width).filter(|_| width > 0).map(next_prefix);
        // '|' is followed by '}' in ASCII: every key of the day sorts below "day}".
        let end_key = end.as_deref().map_or_else(|| format!("{day}}}"), |end| statement_key(day, end));
        let batch: Vec<PayoutAmounts> = graph
            .rows(
                cypher!("settlements/payout_amounts")
                    .param("after_key", after_key.clone())
                    .param("end_key", end_key.clone())
                    .param("limit", limit - rows.len() as i64),
            )
            .await?;
        rows.extend(batch);
        match end {
            // The window is read to its end: the next, wider one starts there.
            Some(end) if (rows.len() as i64) < limit => {
                start = end;
                after_key = end_key;
            }
            _ => break,
        }
    }
    Ok(rows)
}

/// Every payout of a day, by phone. One unordered read sorted here: the engine would sort the
/// whole range anyway, and reading it in windows costs several times more.
pub async fn day_amounts(graph: &Graph, day: BusinessDay) -> GraphResult<Vec<PayoutAmounts>> {
    // A whole day (a million rows at a million members) takes longer than a request's deadline.
    let mut rows: Vec<PayoutAmounts> = graph
        .without_deadline()
        .rows(
            cypher!("settlements/day_amounts")
                .param("after_key", statement_key(day, ""))
                // '|' is followed by '}' in ASCII: every key of the day sorts below "day}".
                .param("end_key", format!("{day}}}")),
        )
        .await?;
    rows.sort_by(|a, b| a.phone.cmp(&b.phone));
    Ok(rows)
}

/// The smallest string above every string that begins with `prefix` (a digit string): its last
/// digit plus one (after '9' comes ':', which still sorts above every digit).
fn next_prefix(prefix: &str) -> String {
    let mut bytes = prefix.as_bytes().to_vec();
    if let Some(last) = bytes.last_mut() {
        *last += 1;
    }
    String::from_utf8(bytes).unwrap_or_default()
}

/// A member's statements from `from` to `to`, the latest first.
pub async fn statements_of(graph: &Graph, phone: &str, from: BusinessDay, to: BusinessDay) -> GraphResult<Vec<StatementRow>> {
    graph
        .rows(
            cypher!("settlements/statements_of")
                .param("phone", phone)
                .param("from", from.to_string())
                .param("to", to.to_string()),
        )
        .await
}

/// A member's statement of one day.
pub async fn statement(graph: &Graph, phone: &str, day: BusinessDay) -> GraphResult<Option<StatementRow>> {
    graph.row(cypher!("settlements/statement").param("key", statement_key(day, phone))).await
}

/// A page of a member's statements, the latest first, before `before` when given.
pub async fn statements_page(graph: &Graph, phone: &str, before: Option<BusinessDay>, limit: i64) -> GraphResult<Vec<StatementRow>> {
    graph
        .rows(
            cypher!("settlements/statements_page")
                .param("phone", phone)
                .param("before", before.map(|d| d.to_string()))
                .param("limit", limit),
        )
        .await
}

#[cfg(test)]
mod tests {
    use super::next_prefix;

    #[test]
    fn the_next_prefix_sorts_above_every_phone_that_begins_with_the_prefix_and_below_the_rest() {
        assert_eq!(next_prefix("1300"), "1301");
        assert_eq!(next_prefix("1399"), "139:");
        assert!("13999999999" < next_prefix("1399").as_str());
        assert!(next_prefix("1399").as_str() < "14000000000");
    }
}
