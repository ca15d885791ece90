//! The team fold's storage (SPEC §7). Each member has a `Team` node with its team aggregates and
//! what of its own volume and membership they count (`counted_*`): an order, a refund or a
//! registration writes only its own member and marks it `team_dirty`; the fold reads the waiting
//! members, adds what they changed to the `Team` nodes of their uplines and records it as counted,
//! all in one transaction that also writes the fold's state node (`TeamFold`). That transaction
//! commits only while the tree is at the version the folder read (a sponsor change raises it), and
//! two folds, or a fold and a sponsor change, write that node and the same `Team` nodes, so the
//! database lets one of them commit and the other runs again on what it wrote. Intakes never write
//! a `Team` node, so the fold never conflicts with them.
use serde::{Deserialize, Serialize};

use super::{Graph, GraphError, GraphResult, Txn, bolt_rows};
use crate::cypher;
use crate::domain::team_fold::{TeamDelta, Uncounted};

/// The fold's state as stored.
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct FoldState {
    pub tree_version: i64,
    /// When the aggregates were last brought up to date (the waiting members aside).
    pub folded_at_ms: i64,
    /// Members whose changes the aggregates do not count yet.
    pub waiting: i64,
}

/// Creates the fold's state node if it is missing.
pub async fn ensure(graph: &Graph, now_ms: i64) -> GraphResult<()> {
    graph.run(cypher!("teams/ensure_fold").param("now_ms", now_ms)).await
}

pub async fn state(graph: &Graph) -> GraphResult<FoldState> {
    graph.row(cypher!("teams/state")).await?.ok_or_else(|| GraphError::Corrupt("the team fold's state node is missing".into()))
}

#[derive(Deserialize)]
pub struct TreeRow {
    pub phone: String,
    pub sponsor_phone: Option<String>,
}

/// Every member with its sponsor.
pub async fn tree(graph: &Graph) -> GraphResult<Vec<TreeRow>> {
    graph.without_deadline().rows(cypher!("teams/tree")).await
}

/// Records a fold at `now_ms` if the tree is still at `tree_version`; whether it is.
pub async fn begin_fold_in(txn: &mut Txn, tree_version: i64, now_ms: i64) -> GraphResult<bool> {
    #[derive(Deserialize)]
    struct Version {
        #[allow(dead_code)]
        tree_version: i64,
    }
    let row: Option<Version> = txn.row(cypher!("teams/begin_fold").param("tree_version", tree_version).param("now_ms", now_ms)).await?;
    Ok(row.is_some())
}

/// Up to `limit` members waiting to be counted, with what is not counted yet.
pub async fn waiting_in(txn: &mut Txn, limit: i64) -> GraphResult<Vec<Uncounted>> {
    #[derive(Deserialize)]
    struct Waiting {
        phone: String,
        sponsor_phone: Option<String>,
        cash_fen: i64,
        points_fen: i64,
        members: i64,
    }
    let rows: Vec<Waiting> = txn.rows(cypher!("teams/waiting").param("limit", limit)).await?;
    Ok(rows
        .into_iter()
        .map(|w| Uncounted {
            phone: w.phone,
            sponsor: w.sponsor_phone,
            delta: TeamDelta { cash_fen: w.cash_fen, points_fen: w.points_fen, members: w.members },
        })
        .collect())
}

#[derive(Serialize)]
struct DeltaRow<'a> {
    phone: &'a str,
    cash_fen: i64,
    points_fen: i64,
    members: i64,
}

impl<'a> DeltaRow<'a> {
    fn of(phone: &'a str, delta: &TeamDelta) -> Self {
        DeltaRow { phone, cash_fen: delta.cash_fen, points_fen: delta.points_fen, members: delta.members }
    }
}

/// Adds each delta to that member's team aggregates.
pub async fn add_to_teams_in<'a>(txn: &mut Txn, deltas: impl Iterator<Item = (&'a str, &'a TeamDelta)>) -> GraphResult<()> {
    let rows: Vec<DeltaRow> = deltas.map(|(phone, delta)| DeltaRow::of(phone, delta)).collect();
    if rows.is_empty() {
        return Ok(());
    }
    txn.run(cypher!("teams/add_to_teams").param("rows", bolt_rows(&rows)?)).await
}

/// Records that what `counted` changed is now counted in the uplines' teams.
pub async fn count_members_in(txn: &mut Txn, counted: &[Uncounted]) -> GraphResult<()> {
    let rows: Vec<DeltaRow> = counted.iter().map(|c| DeltaRow::of(&c.phone, &c.delta)).collect();
    txn.run(cypher!("teams/count_members").param("rows", bolt_rows(&rows)?)).await
}

/// Clears the waiting mark of those of `phones` that are all counted by now (a member that
/// changed again meanwhile stays waiting); returns how many.
pub async fn settle_waiting(graph: &Graph, phones: &[String]) -> GraphResult<i64> {
    #[derive(Deserialize)]
    struct Cleared {
        cleared: i64,
    }
    let phones = phones.to_vec();
    let cleared: Option<Cleared> = graph
        .transaction(move |txn| {
            let phones = phones.clone();
            Box::pin(async move { txn.row(cypher!("teams/settle_waiting").param("phones", phones)).await })
        })
        .await?;
    Ok(cleared.map_or(0, |c| c.cleared))
}

/// Raises the tree version: a fold computed on the tree as it was commits nothing.
pub async fn raise_tree_version_in(txn: &mut Txn) -> GraphResult<()> {
    txn.run(cypher!("teams/raise_tree_version")).await
}

/// Takes or renews the folding lease for `owner`; whether `owner` holds it.
pub async fn claim_lease(graph: &Graph, owner: &str, lease_until_ms: i64, now_ms: i64) -> GraphResult<bool> {
    #[derive(Deserialize)]
    struct Version {
        #[allow(dead_code)]
        tree_version: i64,
    }
    let owner = owner.to_string();
    let row: Option<Version> = graph
        .transaction(move |txn| {
            let owner = owner.clone();
            Box::pin(async move {
                txn.row(cypher!("teams/claim_lease").param("owner", owner).param("lease_until_ms", lease_until_ms).param("now_ms", now_ms))
                    .await
            })
        })
        .await?;
    Ok(row.is_some())
}

/// A member's team aggregates and what of its own volume and membership they count.
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct TeamRow {
    pub team_cash_fen: i64,
    pub team_points_fen: i64,
    pub team_size: i64,
    pub counted_cash_fen: i64,
    pub counted_points_fen: i64,
    pub counted_self: bool,
}

impl TeamRow {
    /// What its uplines' teams count of a member and the team below it: what a sponsor change moves.
    pub fn carried(&self) -> TeamDelta {
        TeamDelta {
            cash_fen: self.counted_cash_fen + self.team_cash_fen,
            points_fen: self.counted_points_fen + self.team_points_fen,
            members: i64::from(self.counted_self) + self.team_size,
        }
    }
}

pub async fn of_member_in(txn: &mut Txn, phone: &str) -> GraphResult<Option<TeamRow>> {
    txn.row(cypher!("teams/of_member").param("phone", phone)).await
}

/// Members per statement of the split of team aggregates off the member nodes.
const SPLIT_BATCH: i64 = 10_000;

/// Moves the team aggregates of members stored before teams had nodes of their own onto `Team`
/// nodes (everything they had counted: the aggregates were kept exact on every write), in
/// batches of [`SPLIT_BATCH`] auto-commit statements, then marks the split done so that later
/// starts cost one lookup. Idempotent: a batch moves only members not yet moved. Returns how many
/// members moved.
pub async fn split_from_members(graph: &Graph) -> GraphResult<i64> {
    #[derive(Deserialize)]
    struct Mark {
        #[allow(dead_code)]
        name: String,
    }
    #[derive(Deserialize)]
    struct Moved {
        moved: i64,
    }
    if graph.row::<Mark>(cypher!("teams/split_done")).await?.is_some() {
        return Ok(0);
    }
    let graph = graph.without_deadline();
    let mut total = 0;
    loop {
        let moved = graph.row::<Moved>(cypher!("teams/split_from_members").param("limit", SPLIT_BATCH)).await?.map_or(0, |m| m.moved);
        total += moved;
        if moved < SPLIT_BATCH {
            break;
        }
        tracing::info!(total, "team aggregates moved onto team nodes");
    }
    graph.row::<Mark>(cypher!("teams/mark_split_done")).await?;
    Ok(total)
}
