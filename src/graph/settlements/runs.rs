//! A settlement run: claiming a day behind the fence, and writing its result in batches that a
//! crash cannot half-apply.
//!
//! A run claims the next day: `(:Settlement {day, status: 'running', owner, lease_until_ms})`,
//! then raises the fence to the day (see [`crate::graph::fence`]) and records the parameter
//! version in force on it. The claim is a lease
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
use serde::{Deserialize, Serialize};

use super::days::{self, SettlementRow};
use crate::cypher;
use crate::domain::amounts::ByKind;
use crate::domain::day::BusinessDay;
use crate::graph::{Graph, GraphError, GraphResult, TransactionError, Txn, bolt_rows};

/// What a run's writes answer instead of a result: the claim is no longer the run's, or the
/// database failed.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("the settlement's claim is no longer this run's: its lease expired and another run took it over")]
    ClaimLost,
    #[error(transparent)]
    Graph(#[from] GraphError),
}

impl TransactionError for RunError {
    fn is_transient(&self) -> bool {
        matches!(self, RunError::Graph(error) if error.is_transient())
    }
}

pub type RunResult<T> = Result<T, RunError>;

/// A day's computed totals, recorded with its stored batches.
#[derive(Clone, Debug)]
pub struct DayTotals {
    pub batches_total: i64,
    pub batch_members: i64,
    /// The day's statements summed kind by kind, in fen.
    pub amounts: ByKind<i64>,
    pub members_paid: i64,
    pub statements: i64,
}

/// One member's statement of a day, written with its credit.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StatementWrite {
    pub key: String,
    pub phone: String,
    pub released_fen: i64,
    /// In fen.
    #[serde(flatten)]
    pub amounts: ByKind<i64>,
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
    Held { day: BusinessDay, owner: String, lease_until_ms: i64 },
    /// Every day through the target is settled.
    Done,
}

#[derive(Deserialize)]
struct DayRow {}

/// Claims the next day to settle for `owner` until `lease_until_ms`: the day left running by a run
/// whose lease expired (taken over), or else the day after the latest settled one when it is not
/// after `through` (`through` itself when no day was ever settled: the first day is chosen). The claimant then raises the fence
/// ([`crate::graph::fence::raise`]) before it reads anything of the day.
pub async fn claim(graph: &Graph, through: BusinessDay, owner: &str, lease_until_ms: i64, now_ms: i64) -> RunResult<Claim> {
    graph
        .transaction_retried_for(SETTLEMENT_RETRY_BUDGET, move |txn| {
            let owner = owner.to_string();
            Box::pin(async move { claim_in(txn, through, &owner, lease_until_ms, now_ms).await })
        })
        .await
}

async fn claim_in(txn: &mut Txn, through: BusinessDay, owner: &str, lease_until_ms: i64, now_ms: i64) -> RunResult<Claim> {
    if let Some(running) = days::running_in(txn).await? {
        let (seen_owner, seen_lease) = (running.owner.clone().unwrap_or_default(), running.lease_until_ms.unwrap_or(0));
        if seen_lease > now_ms {
            return Ok(Claim::Held { day: running.day, owner: seen_owner, lease_until_ms: seen_lease });
        }
        let taken: Option<DayRow> = txn
            .row(
                cypher!("settlements/take_over")
                    .param("day", running.day.to_string())
                    .param("seen_owner", seen_owner.as_str())
                    .param("seen_lease_until_ms", seen_lease)
                    .param("owner", owner)
                    .param("lease_until_ms", lease_until_ms),
            )
            .await?;
        if taken.is_none() {
            // Another run took it over between the read and this write.
            return Err(RunError::ClaimLost);
        }
        tracing::warn!(day = %running.day, previous_owner = %seen_owner, %owner, "took over a run whose lease had expired");
        return Ok(Claim::Day(SettlementRow { owner: Some(owner.to_string()), lease_until_ms: Some(lease_until_ms), ..running }));
    }
    let day = match days::last_settled_day_in(txn).await? {
        Some(last) => last.succ(),
        None => through,
    };
    if day > through {
        return Ok(Claim::Done);
    }
    let history = crate::graph::params::history_in(txn).await?;
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
        return Err(GraphError::Corrupt(format!("the settlement of {day} was not created")).into());
    }
    let row = days::get_in(txn, day).await?;
    row.map(Claim::Day).ok_or_else(|| GraphError::Corrupt(format!("the settlement of {day} vanished")).into())
}

/// Records on `owner`'s running day the parameter version in force on it, read after the fence
/// is raised (no version from the day on can be created any more); returns the version.
pub async fn record_version(graph: &Graph, day: BusinessDay, owner: &str) -> RunResult<i64> {
    let in_force = crate::graph::params::history(graph).await?.in_force(day).clone();
    let recorded: Option<DayRow> = graph
        .row(
            cypher!("settlements/record_version")
                .param("day", day.to_string())
                .param("owner", owner)
                .param("params_version", in_force.version)
                .param("release_rate", in_force.params.release_rate().to_string()),
        )
        .await?;
    recorded.map(|_| in_force.version).ok_or(RunError::ClaimLost)
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
pub async fn plan(graph: &Graph, day: BusinessDay, owner: &str, totals: &DayTotals, batches: &[Batch]) -> RunResult<()> {
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
    let amounts = serde_json::to_value(totals.amounts).map_err(|e| GraphError::Encode(e.to_string()))?;
    let amounts = neo4rs::BoltType::try_from(amounts).map_err(|e| GraphError::Encode(e.to_string()))?;
    let planned: Option<DayRow> = graph
        .row(
            cypher!("settlements/plan")
                .param("day", day.to_string())
                .param("owner", owner)
                .param("batches_total", totals.batches_total)
                .param("batch_members", totals.batch_members)
                .param("amounts", amounts)
                .param("members_paid", totals.members_paid)
                .param("statements", totals.statements),
        )
        .await?;
    planned.map(|_| ()).ok_or(RunError::ClaimLost)
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
pub async fn apply_batch(graph: &Graph, day: BusinessDay, owner: &str, index: i64, batch: &Batch, lease_until_ms: i64) -> RunResult<()> {
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
                    return Err(RunError::ClaimLost);
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
/// batches; the fence is closed after it ([`crate::graph::fence::close`]).
pub async fn finish(graph: &Graph, day: BusinessDay, owner: &str, now_ms: i64) -> RunResult<()> {
    let owner = owner.to_string();
    graph
        .transaction_retried_for(SETTLEMENT_RETRY_BUDGET, move |txn| {
            let owner = owner.clone();
            Box::pin(async move {
                let finished: Option<DayRow> = txn
                    .row(cypher!("settlements/finish").param("day", day.to_string()).param("owner", owner).param("now_ms", now_ms))
                    .await?;
                if finished.is_none() {
                    return Err(RunError::ClaimLost);
                }
                Ok(txn.run(cypher!("settlements/drop_batches").param("day", day.to_string())).await?)
            })
        })
        .await
}
