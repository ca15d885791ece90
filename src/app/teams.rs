//! The team fold (SPEC §7): keeps every member's team aggregates up to date off the request path.
//! An order, a refund or a registration writes only its own member; every [`FOLD_EVERY`] the
//! server holding the folding lease (one across all servers, in the database) adds what the
//! waiting members changed to their uplines' teams over an in-memory copy of the tree, a batch
//! of members per transaction. Pages say when the aggregates were last brought up to date.
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;

use crate::domain::team_fold::{StaleTree, Tree};
use crate::graph::{Graph, GraphError, GraphResult, teams};

/// How often the lease holder folds.
pub const FOLD_EVERY: Duration = Duration::from_secs(1);
/// How long the folding lease holds without being renewed.
const LEASE: Duration = Duration::from_secs(10);
/// Waiting members counted per transaction.
pub const BATCH: i64 = 2_000;

/// What one fold transaction did.
enum Folded {
    /// Counted these members (their waiting marks are cleared next).
    Members(Vec<String>),
    /// Nobody was waiting.
    Nothing,
    /// The tree changed since the copy was read: nothing written.
    TreeChanged,
}

/// A copy of the tree and the version it was read at.
struct Copy {
    tree_version: i64,
    tree: Arc<Mutex<Tree>>,
}

/// Folds waiting members into their uplines' teams, keeping its copy of the tree between folds.
#[derive(Default)]
pub struct Folder {
    copy: Option<Copy>,
}

impl Folder {
    /// Reads the tree (after its version: a sponsor change that commits in between is seen by
    /// the fold's version check, and the copy is read again).
    async fn copy(&mut self, graph: &Graph) -> GraphResult<&Copy> {
        if self.copy.is_none() {
            let tree_version = teams::state(graph).await?.tree_version;
            let rows = teams::tree(graph).await?;
            let tree = Tree::of(rows.iter().map(|r| (r.phone.as_str(), r.sponsor_phone.as_deref())))
                .map_err(|StaleTree| GraphError::Corrupt("a member's sponsor is not a member".into()))?;
            tracing::debug!(members = tree.len(), tree_version, "the team fold read the tree");
            self.copy = Some(Copy { tree_version, tree: Arc::new(Mutex::new(tree)) });
        }
        Ok(self.copy.as_ref().expect("just read"))
    }

    /// Forgets the copy of the tree (another server holds the lease: its copy goes stale here).
    fn forget(&mut self) {
        self.copy = None;
    }

    /// One batch: counts up to [`BATCH`] waiting members in one transaction; how many were
    /// counted (0: nobody was waiting).
    async fn fold_batch(&mut self, graph: &Graph) -> GraphResult<usize> {
        for _ in 0..3 {
            let copy = self.copy(graph).await?;
            let (tree_version, tree) = (copy.tree_version, copy.tree.clone());
            let folded = graph
                .transaction(move |txn| {
                    let tree = tree.clone();
                    Box::pin(async move {
                        if !teams::begin_fold_in(txn, tree_version, Utc::now().timestamp_millis()).await? {
                            return Ok::<_, GraphError>(Folded::TreeChanged);
                        }
                        let waiting = teams::waiting_in(txn, BATCH).await?;
                        if waiting.is_empty() {
                            return Ok(Folded::Nothing);
                        }
                        let Ok(sums) = tree.lock().expect("the tree's lock is never poisoned").fold(&waiting) else {
                            return Ok(Folded::TreeChanged);
                        };
                        teams::add_to_teams_in(txn, sums.iter().map(|(phone, delta)| (phone.as_str(), delta))).await?;
                        teams::count_members_in(txn, &waiting).await?;
                        Ok(Folded::Members(waiting.into_iter().map(|w| w.phone).collect()))
                    })
                })
                .await?;
            match folded {
                Folded::Nothing => return Ok(0),
                Folded::TreeChanged => self.forget(),
                Folded::Members(phones) => {
                    clear_marks(graph, &phones).await;
                    return Ok(phones.len());
                }
            }
        }
        Err(GraphError::Corrupt("the tree changed under three team folds in a row".into()))
    }

    /// Folds until nobody is waiting (or `most` batches are done); how many members it counted.
    pub async fn fold(&mut self, graph: &Graph, most: usize) -> GraphResult<usize> {
        let graph = graph.without_deadline();
        let mut counted = 0;
        for _ in 0..most {
            match self.fold_batch(&graph).await? {
                0 => break,
                n => counted += n,
            }
        }
        Ok(counted)
    }
}

/// Waiting marks cleared per transaction: a mark is on the member's node, which intakes write, so
/// small transactions lose few conflicts.
const CLEAR_CHUNK: usize = 100;

/// Clears the waiting marks of counted members, a chunk at a time, as far as it goes: a mark left
/// (its chunk lost to intakes for the whole retry budget) only brings the member into the next
/// fold with nothing left to count, which clears it then.
async fn clear_marks(graph: &Graph, phones: &[String]) {
    for chunk in phones.chunks(CLEAR_CHUNK) {
        if let Err(error) = teams::settle_waiting(graph, chunk).await {
            tracing::debug!(%error, "waiting marks left for the next fold");
        }
    }
}

/// Brings every team aggregate up to date now, whoever holds the lease (a second folder is safe:
/// see [`crate::graph::teams`]): for commands, tests and benchmarks. How many members it counted.
pub async fn fold_now(graph: &Graph) -> GraphResult<usize> {
    Folder::default().fold(graph, usize::MAX).await
}

/// The server's fold: every [`FOLD_EVERY`], folds while it holds the lease (taking it when it is
/// free or has expired). Runs until the process ends.
pub async fn fold_continuously(graph: Graph) {
    let owner = super::settle::run_owner();
    let mut folder = Folder::default();
    loop {
        tokio::time::sleep(FOLD_EVERY).await;
        let now_ms = Utc::now().timestamp_millis();
        let lease_until_ms = now_ms + LEASE.as_millis() as i64;
        match teams::claim_lease(&graph, &owner, lease_until_ms, now_ms).await {
            Ok(true) => {}
            Ok(false) => {
                folder.forget();
                continue;
            }
            Err(error) => {
                tracing::warn!(%error, "the team fold cannot reach its lease; trying again shortly");
                continue;
            }
        }
        // Five batches a round at most: the lease is renewed well before it can expire.
        match folder.fold(&graph, LEASE.as_secs() as usize / 2).await {
            Ok(0) => {}
            Ok(counted) => tracing::debug!(counted, "team aggregates brought up to date"),
            Err(error) => {
                tracing::warn!(%error, "the team fold failed; it tries again shortly");
                folder.forget();
            }
        }
    }
}
