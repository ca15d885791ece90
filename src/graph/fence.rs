//! The settlement's fence (SPEC §3): the latest day whose run has begun, and the latest settled
//! day, kept on every one of [`SHARDS`] nodes.
//!
//! A run claims its day, then raises the fence shard by shard, each in a transaction of its own,
//! and reads nothing of the day before every shard is raised. Every intake (an order, a refund, a
//! sponsor change) writes one shard before it reads the fence: a shard raised meanwhile then
//! conflicts with the intake's transaction, which runs again and sees it (ArcadeDB refuses the
//! later commit of two that wrote one node; Neo4j makes the second wait for the first's lock and
//! then read what it wrote). So every intake is decided, inside the database and on every server,
//! either before the fence (and the day's snapshot, read after the last shard, sees it) or after
//! it (and it takes effect from the next day). The shards keep concurrent intakes from all meeting
//! on one node, and raising them one at a time keeps a run from having to win against every
//! intake at once. Once a day is settled the shards record it the same way, and the refunds that
//! arrived while it was settling are then taken out of their pools.
use serde::Deserialize;

use std::time::Duration;

use super::{Graph, GraphError, GraphResult, Txn};
use crate::cypher;
use crate::domain::day::BusinessDay;

pub const SHARDS: i64 = 64;

/// How long raising or settling one shard is run again after conflicts with intakes.
const SHARD_RETRY_BUDGET: Duration = Duration::from_secs(60);

/// The fence as an intake found it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fence {
    /// The latest day whose run has begun (`None` before the first run).
    pub fenced: Option<BusinessDay>,
    /// The latest settled day.
    pub settled: Option<BusinessDay>,
}

impl Fence {
    /// The start day of an order whose start day by its paid day is `candidate`: moved to the
    /// latest fenced day when that is later (the order is late for it and counts from the day after).
    pub fn start_day(&self, candidate: BusinessDay) -> BusinessDay {
        self.fenced.map_or(candidate, |fenced| fenced.max(candidate))
    }

    /// The first day that has not begun: where a refund or a sponsor change arriving now takes
    /// effect (`None` before the first run: from the first day ever settled).
    pub fn first_open_day(&self) -> Option<BusinessDay> {
        self.fenced.map(BusinessDay::succ)
    }

    /// The day a run has fenced and not yet settled, if any (on the shard read).
    pub fn running(&self) -> Option<BusinessDay> {
        self.fenced.filter(|&fenced| self.settled.is_none_or(|settled| fenced > settled))
    }
}

#[derive(Deserialize)]
struct FenceRow {
    fenced_day: Option<String>,
    settled_day: Option<String>,
}

fn decode(row: Option<FenceRow>) -> GraphResult<Fence> {
    let row = row.ok_or_else(|| GraphError::Corrupt("the fence has no shards; the schema was not applied".into()))?;
    let day = |day: Option<String>| {
        day.map(|d| d.parse::<BusinessDay>().map_err(|_| GraphError::Corrupt(format!("fence day {d:?}")))).transpose()
    };
    Ok(Fence { fenced: day(row.fenced_day)?, settled: day(row.settled_day)? })
}

/// Reads the fence as it stands, for pages that say where it is (a decision behind the fence
/// uses [`touch`]).
pub async fn read(graph: &Graph) -> GraphResult<Fence> {
    decode(graph.row(cypher!("fence/read")).await?)
}

/// Writes one shard (chosen at random) and reads the fence: the first statement of an intake.
pub async fn touch(txn: &mut Txn, now_ms: i64) -> GraphResult<Fence> {
    let shard = rand::random_range(0..SHARDS);
    decode(txn.row(cypher!("fence/touch").param("shard", shard).param("now_ms", now_ms)).await?)
}

/// Writes every shard and reads the fence (the latest fenced day of any shard, the lowest
/// settled day): for changes that must conflict with every intake meanwhile (a new parameter
/// version changes what orders paid from its day are granted).
pub async fn touch_all(txn: &mut Txn, now_ms: i64) -> GraphResult<Fence> {
    decode(txn.row(cypher!("fence/touch_all").param("now_ms", now_ms)).await?)
}

#[derive(Deserialize)]
struct ShardRow {}

/// Runs `statement` (a shard's update to `day`) on every shard, each in a transaction of its own.
async fn each_shard(graph: &Graph, day: BusinessDay, statement: &'static str) -> GraphResult<()> {
    for shard in 0..SHARDS {
        let now_ms = chrono::Utc::now().timestamp_millis();
        let updated: Option<ShardRow> = graph
            .transaction_retried_for(SHARD_RETRY_BUDGET, move |txn| {
                Box::pin(async move {
                    let query = neo4rs::query(statement).param("shard", shard).param("day", day.to_string()).param("now_ms", now_ms);
                    txn.row(query).await
                })
            })
            .await?;
        if updated.is_none() {
            return Err(GraphError::Corrupt(format!("the fence has no shard {shard}; the schema was not applied")));
        }
    }
    Ok(())
}

/// Raises the fence to `day` on every shard: from then on every intake takes effect after `day`.
pub async fn raise(graph: &Graph, day: BusinessDay) -> GraphResult<()> {
    each_shard(graph, day, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/cypher/fence/raise_shard.cypher"))).await
}

/// Records on every shard that `day` (settled) is settled, then takes the refunds that arrived
/// while it was settling out of their pools (those recorded before the last shard included).
pub async fn close(graph: &Graph, day: BusinessDay) -> GraphResult<()> {
    each_shard(graph, day, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/cypher/fence/settle_shard.cypher"))).await?;
    super::orders::complete_pending_refunds(graph, day).await
}

/// The latest settled day when its fence is not closed yet: a run settled it and has not, or
/// stopped before it had, recorded it on every shard and taken the refunds that arrived while it
/// ran out of their pools.
pub async fn open_settled_day(graph: &Graph) -> GraphResult<Option<BusinessDay>> {
    let Some(settled) = super::settlements::days::calendar(graph).await?.last_settled() else { return Ok(None) };
    #[derive(Deserialize)]
    struct Lowest {
        settled_day: Option<String>,
        shards: i64,
        settled_shards: i64,
    }
    let lowest: Option<Lowest> = graph.row(cypher!("fence/lowest")).await?;
    let recorded = lowest.is_some_and(|l| l.settled_shards == l.shards && l.settled_day.is_some_and(|d| d >= settled.to_string()));
    #[derive(Deserialize)]
    struct Pending {
        pending: i64,
    }
    let pending: Option<Pending> =
        graph.row(cypher!("orders/pending_refund_count").param("refund_day", settled.succ().to_string())).await?;
    let closed = recorded && pending.is_none_or(|p| p.pending == 0);
    Ok((!closed).then_some(settled))
}

/// Closes the fence of the latest settled day when a run stopped after settling it and before
/// its shards all recorded it.
pub async fn close_if_open(graph: &Graph) -> GraphResult<()> {
    if let Some(settled) = open_settled_day(graph).await? {
        tracing::info!(day = %settled, "closing the fence of a settled day");
        close(graph, settled).await?;
    }
    Ok(())
}

/// Creates the shards that are missing, holding the days the stored settlements say.
pub async fn ensure(graph: &Graph) -> GraphResult<()> {
    let fenced = super::settlements::days::last_settled_day(graph).await?;
    let settled = super::settlements::days::calendar(graph).await?.last_settled();
    graph
        .transaction(move |txn| {
            Box::pin(async move {
                txn.run(
                    cypher!("fence/create_shards")
                        .param("shards", SHARDS)
                        .param("fenced_day", fenced.map(|d| d.to_string()))
                        .param("settled_day", settled.map(|d| d.to_string())),
                )
                .await
            })
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::Fence;
    use crate::domain::day::BusinessDay;

    fn day(text: &str) -> BusinessDay {
        text.parse().unwrap()
    }

    #[test]
    fn an_order_paid_before_the_fenced_day_starts_on_the_fenced_day_and_a_later_one_on_its_own_day() {
        let fence = Fence { fenced: Some(day("2026-03-10")), settled: Some(day("2026-03-09")) };
        assert_eq!(fence.start_day(day("2026-03-08")), day("2026-03-10"));
        assert_eq!(fence.start_day(day("2026-03-10")), day("2026-03-10"));
        assert_eq!(fence.start_day(day("2026-03-11")), day("2026-03-11"));
        assert_eq!(Fence { fenced: None, settled: None }.start_day(day("2026-03-08")), day("2026-03-08"));
    }

    #[test]
    fn a_day_fenced_and_not_settled_is_running() {
        assert_eq!(Fence { fenced: Some(day("2026-03-10")), settled: Some(day("2026-03-09")) }.running(), Some(day("2026-03-10")));
        assert_eq!(Fence { fenced: Some(day("2026-03-10")), settled: None }.running(), Some(day("2026-03-10")));
        assert_eq!(Fence { fenced: Some(day("2026-03-10")), settled: Some(day("2026-03-10")) }.running(), None);
        assert_eq!(Fence { fenced: None, settled: None }.first_open_day(), None);
        assert_eq!(Fence { fenced: Some(day("2026-03-10")), settled: None }.first_open_day(), Some(day("2026-03-11")));
    }
}
