//! Settlements in the graph: reading a day's snapshot in bulk, and writing a day's result in
//! batches that a crash cannot half-apply.
//!
//! A run creates `(:Settlement {day, status: 'running', batches_total})`, then writes batch after
//! batch, each in one transaction that also moves the settlement's `batches_done` from k to k + 1
//! (so a batch is applied once or not at all, and two writers cannot both apply it), then marks
//! the day `settled`. A batch credits its members (pool to available, by increments), records
//! their statements, and writes the orders an accelerated release was paid out of, keeping those
//! orders' figures from before the day (`prev_remaining_*`). A run that stopped halfway is
//! resumed by reading the snapshot as it was before the day (the kept figures stand in for the
//! written ones), computing the same result, and writing the batches not yet done.
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{Graph, GraphError, GraphResult, LedgerGuard, Txn, bolt_rows};
use crate::cypher;
use crate::domain::day::BusinessDay;
use crate::domain::money::Rate;
use crate::settlement::calendar::ReleaseCalendar;
use crate::settlement::engine::{Member, Order, Snapshot};

#[derive(Deserialize)]
struct LastDay {
    day: Option<String>,
}

/// The latest settled business day (or the day a run is settling), inside a ledger transaction.
pub async fn last_settled_day_in(txn: &mut Txn) -> GraphResult<Option<BusinessDay>> {
    decode_last(txn.row(cypher!("settlements/last_settled_day")).await?)
}

/// The latest settled business day, or the day a run is settling: orders paid before it and
/// parameter versions from it are refused like those of a settled day.
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

/// The settlement left `running` by a run that stopped, if any.
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
    own_fen: i64,
}

#[derive(Deserialize)]
struct LateOrderRead {
    phone: String,
    amount_fen: i64,
}

#[derive(Deserialize)]
struct OrderRead {
    phone: String,
    order_id: String,
    amount_fen: i64,
    paid_at_ms: i64,
    granted_fen: i64,
    remaining_fen: i64,
    remaining_day: Option<String>,
    prev_remaining_fen: Option<i64>,
    prev_remaining_day: Option<String>,
}

/// Reads what settling `day` needs, as it stood before the day: every member with its sponsor
/// and own volume from orders paid before the day, and every order paid before the day, not
/// refunded, with what it holds after the previous day (`calendar`: the settled days).
pub async fn read_snapshot(
    graph: &Graph,
    day: BusinessDay,
    day_start_ms: i64,
    tz: chrono_tz::Tz,
    calendar: &ReleaseCalendar,
) -> GraphResult<DaySnapshot> {
    let mut members: Vec<MemberRead> = graph.rows(cypher!("settlements/snapshot_members")).await?;
    members.sort_unstable_by(|a, b| a.phone.cmp(&b.phone));
    let index: HashMap<&str, u32> = members.iter().enumerate().map(|(i, m)| (m.phone.as_str(), i as u32)).collect();
    let find = |phone: &str| index.get(phone).copied().ok_or_else(|| GraphError::Corrupt(format!("no member {phone}")));
    let mut snapshot = Snapshot {
        members: members
            .iter()
            .map(|m| Ok(Member { sponsor: m.sponsor_phone.as_deref().map(&find).transpose()?, own_volume_fen: m.own_fen }))
            .collect::<GraphResult<Vec<_>>>()?,
        orders: Vec::new(),
    };
    let late: Vec<LateOrderRead> = graph.rows(cypher!("settlements/snapshot_late_orders").param("from_ms", day_start_ms)).await?;
    for order in late {
        snapshot.members[find(&order.phone)? as usize].own_volume_fen -= order.amount_fen;
    }
    let previous = day.pred();
    let orders: Vec<OrderRead> = graph
        .rows(cypher!("settlements/snapshot_orders").param("before_ms", day_start_ms).param("day", day.to_string()))
        .await?;
    let mut granted_fen = Vec::with_capacity(orders.len());
    for order in orders {
        // Written by this very day in a run that stopped: what it held before the day was kept.
        let (written_fen, written_day) = if order.remaining_day.as_deref() == Some(day.to_string().as_str()) {
            (
                order.prev_remaining_fen.ok_or_else(|| GraphError::Corrupt(format!("order {} lost its figures", order.order_id)))?,
                order.prev_remaining_day,
            )
        } else {
            (order.remaining_fen, order.remaining_day)
        };
        let as_of = super::orders::written_as_of(&order.order_id, written_day.as_deref(), order.paid_at_ms, tz)?;
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

/// What a run records about its day before writing any batch.
#[derive(Clone, Debug, Serialize)]
pub struct NewSettlement {
    pub day: String,
    pub params_version: i64,
    pub release_rate: String,
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
#[derive(Clone, Debug, Serialize)]
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
#[derive(Clone, Debug, Serialize)]
pub struct OrderWrite {
    pub order_id: String,
    pub remaining_fen: i64,
    pub released_fen: i64,
}

/// One transaction's worth of a day's result.
pub struct Batch {
    pub statements: Vec<StatementWrite>,
    pub orders: Vec<OrderWrite>,
}

/// The key of a member's statement of a day: day and phone, so a day's statements sort by phone.
pub fn statement_key(day: BusinessDay, phone: &str) -> String {
    format!("{day}|{phone}")
}

/// Records the start of a run; refused by the day's constraint when the day already has one.
pub async fn begin(graph: &Graph, _ledger: &LedgerGuard, settlement: &NewSettlement, now_ms: i64) -> GraphResult<()> {
    graph
        .run(
            cypher!("settlements/begin")
                .param("day", settlement.day.as_str())
                .param("params_version", settlement.params_version)
                .param("release_rate", settlement.release_rate.as_str())
                .param("batches_total", settlement.batches_total)
                .param("batch_members", settlement.batch_members)
                .param("static_fen", settlement.static_fen)
                .param("share_g1_fen", settlement.share_g1_fen)
                .param("share_g2_fen", settlement.share_g2_fen)
                .param("team_fen", settlement.team_fen)
                .param("peer_fen", settlement.peer_fen)
                .param("forfeited_fen", settlement.forfeited_fen)
                .param("members_paid", settlement.members_paid)
                .param("statements", settlement.statements)
                .param("now_ms", now_ms),
        )
        .await
}

/// Applies batch number `index` of the running day in one transaction; refused (and rolled
/// back) unless exactly `index` batches are done.
pub async fn apply_batch(graph: &Graph, ledger: &LedgerGuard, day: BusinessDay, index: i64, batch: &Batch) -> GraphResult<()> {
    let mut txn = graph.txn_under(ledger).await?;
    let result = async {
        #[derive(Deserialize)]
        struct Claimed {}
        let claimed: Option<Claimed> =
            txn.row(cypher!("settlements/claim_batch").param("day", day.to_string()).param("batch", index)).await?;
        if claimed.is_none() {
            return Err(GraphError::Corrupt(format!("batch {index} of {day} is not the next one to apply")));
        }
        #[derive(Deserialize)]
        struct Count {
            written: i64,
        }
        let credited: Option<Count> = txn
            .row(
                cypher!("settlements/credit_members")
                    .param("day", day.to_string())
                    .param("rows", bolt_rows(&batch.statements)?),
            )
            .await?;
        expect_written(credited.map(|c| c.written), batch.statements.len(), "members credited")?;
        if !batch.orders.is_empty() {
            let written: Option<Count> = txn
                .row(cypher!("settlements/write_orders").param("day", day.to_string()).param("rows", bolt_rows(&batch.orders)?))
                .await?;
            expect_written(written.map(|c| c.written), batch.orders.len(), "orders written")?;
        }
        Ok(())
    }
    .await;
    txn.finish(result).await
}

fn expect_written(written: Option<i64>, expected: usize, what: &str) -> GraphResult<()> {
    match written {
        Some(n) if n == expected as i64 => Ok(()),
        // An empty UNWIND returns no row at all on some servers.
        None if expected == 0 => Ok(()),
        other => Err(GraphError::Corrupt(format!("{what}: {other:?} of {expected}"))),
    }
}

/// Marks the running day settled once all its batches are done.
pub async fn finish(graph: &Graph, _ledger: &LedgerGuard, day: BusinessDay, now_ms: i64) -> GraphResult<()> {
    #[derive(Deserialize)]
    struct Finished {}
    let finished: Option<Finished> =
        graph.row(cypher!("settlements/finish").param("day", day.to_string()).param("now_ms", now_ms)).await?;
    finished.map(|_| ()).ok_or_else(|| GraphError::Corrupt(format!("{day} cannot be marked settled: batches are missing")))
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
