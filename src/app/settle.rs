//! Settlement runs: the catch-up rule, one run at a time on any number of servers (a claim with a
//! lease, in the database), the engine between a snapshot read in bulk and a result written in
//! batches, and taking over a run that stopped halfway.
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::domain::day::BusinessDay;
use crate::domain::error_code::ErrorCode;
use crate::graph::settlements::days::{self, SettlementRow};
use crate::graph::settlements::runs::{self, Batch, Claim, DayTotals, OrderWrite, StatementWrite};
use crate::graph::settlements::snapshot::{self, DaySnapshot};
use crate::graph::settlements::statements;
use crate::graph::{Graph, GraphError};
use crate::settlement::engine::{self, Branch, DayResult, SnapshotError};
use crate::settlement::rules::Rules;

#[derive(Debug, thiserror::Error)]
pub enum SettleError {
    #[error("another settlement is running (of {day})")]
    Running { day: BusinessDay, owner: String, lease_until_ms: i64 },
    #[error("{day} has not begun yet (today is {today})")]
    NotBegun { day: BusinessDay, today: BusinessDay },
    #[error("{day} is settled already; preview shows the next unsettled day, {next}")]
    PreviewSettled { day: BusinessDay, next: BusinessDay },
    #[error("preview computes the next unsettled day, {next}; {day} comes after it")]
    PreviewNotNext { day: BusinessDay, next: BusinessDay },
    #[error("stopped after {batches} batches, as asked (the server is stopping, or a drill); another run finishes the day")]
    Stopped { batches: usize },
    #[error("the settlement's claim is no longer this run's: its lease expired and another run took it over")]
    ClaimLost,
    #[error("the stored tree cannot be settled: {0}")]
    Snapshot(#[from] SnapshotError),
    #[error(transparent)]
    Graph(#[from] GraphError),
}

impl From<runs::RunError> for SettleError {
    fn from(error: runs::RunError) -> Self {
        match error {
            runs::RunError::ClaimLost => SettleError::ClaimLost,
            runs::RunError::Graph(error) => SettleError::Graph(error),
        }
    }
}

impl SettleError {
    /// The refusal's code; `None` for a fault (the database's, or stored data that cannot be settled).
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            SettleError::Running { .. } | SettleError::ClaimLost => Some(ErrorCode::SettlementRunning),
            SettleError::NotBegun { .. } => Some(ErrorCode::DayNotBegun),
            SettleError::PreviewSettled { .. } => Some(ErrorCode::DayAlreadySettled),
            SettleError::PreviewNotNext { .. } => Some(ErrorCode::DayNotNext),
            SettleError::Stopped { .. } => Some(ErrorCode::SettlementStopped),
            SettleError::Snapshot(_) | SettleError::Graph(_) => None,
        }
    }
}

/// How a run writes.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Members credited per transaction.
    pub batch_members: usize,
    /// How long the run's claim holds without being renewed: a run whose process died is taken
    /// over this long after its last sign of life.
    pub lease: Duration,
    /// Stop after this many batches, giving up the claim at once: for crash drills and tests.
    pub stop_after_batches: Option<usize>,
}

pub const DEFAULT_LEASE: Duration = Duration::from_secs(30);

impl Default for Options {
    fn default() -> Self {
        Options { batch_members: 5_000, lease: DEFAULT_LEASE, stop_after_batches: None }
    }
}

/// Set when the process is asked to stop: every run stops after the batch it is writing and
/// gives up its claim, so that another server takes it over at once.
static STOPPING: AtomicBool = AtomicBool::new(false);
/// Runs of this process writing a day.
static RUNNING: AtomicUsize = AtomicUsize::new(0);

/// Asks every run of this process to stop after the batch it is writing.
pub fn stop_after_current_batches() {
    STOPPING.store(true, Ordering::SeqCst);
}

/// Waits until no run of this process is writing, for at most `limit`; whether none is.
pub async fn wait_for_runs(limit: Duration) -> bool {
    let started = tokio::time::Instant::now();
    while RUNNING.load(Ordering::SeqCst) > 0 {
        if started.elapsed() >= limit {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    true
}

/// Counts a run as writing while it lives.
struct Writing;

impl Writing {
    fn start() -> Writing {
        RUNNING.fetch_add(1, Ordering::SeqCst);
        Writing
    }
}

impl Drop for Writing {
    fn drop(&mut self) {
        RUNNING.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A name for one run, unique across processes and machines: who holds a claim (or a lease).
pub(crate) fn run_owner() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "host".into());
    format!("{host}/{}/{}", std::process::id(), &uuid::Uuid::new_v4().simple().to_string()[..8])
}

fn lease_until(options: &Options) -> i64 {
    (Utc::now() + options.lease).timestamp_millis()
}

/// What a run reports as it goes.
#[derive(Clone, Copy, Debug)]
pub enum Progress {
    /// Starting a day: `number` of `of` days this run settles.
    Day { day: BusinessDay, number: usize, of: usize },
    /// The day is computed; `batches` transactions will write it.
    Computed { day: BusinessDay, batches: usize },
    /// `done` of `total` batches of the day are written.
    Batch { day: BusinessDay, done: usize, total: usize },
}

/// Settles every unsettled day through `target`, oldest first (the first day ever settled is
/// the first one requested), after finishing a run that stopped halfway. Returns the days settled.
/// Refused with `Running` while another run holds a claim.
pub async fn settle_through(
    graph: &Graph,
    tz: Tz,
    target: BusinessDay,
    now: DateTime<Utc>,
    options: Options,
    mut progress: impl FnMut(Progress),
) -> Result<Vec<BusinessDay>, SettleError> {
    let today = BusinessDay::of(now, tz);
    if target > today {
        return Err(SettleError::NotBegun { day: target, today });
    }
    let owner = run_owner();
    let of = unsettled_through(graph, target).await?.len() + usize::from(days::running(graph).await?.is_some());
    let mut settled = Vec::new();
    loop {
        crate::graph::fence::close_if_open(graph).await?;
        if STOPPING.load(Ordering::SeqCst) {
            return Err(SettleError::Stopped { batches: 0 });
        }
        let claim = runs::claim(graph, target, &owner, lease_until(&options), Utc::now().timestamp_millis()).await?;
        let row = match claim {
            Claim::Done => return Ok(settled),
            Claim::Held { day, owner, lease_until_ms } => return Err(SettleError::Running { day, owner, lease_until_ms }),
            Claim::Day(row) => row,
        };
        let day = row.day;
        progress(Progress::Day { day, number: settled.len() + 1, of: of.max(settled.len() + 1) });
        let outcome = run_day(graph, tz, day, &owner, row, options, &mut progress).await;
        crate::telemetry::SETTLEMENT_RUNS.with_label_values(&[if outcome.is_ok() { "settled" } else { "failed" }]).inc();
        outcome?;
        settled.push(day);
    }
}

/// The days a request for `target` settles: after the latest settled day through `target`, or
/// `target` alone when nothing was ever settled.
async fn unsettled_through(graph: &Graph, target: BusinessDay) -> Result<Vec<BusinessDay>, SettleError> {
    let Some(last) = days::last_settled_day(graph).await? else {
        return Ok(vec![target]);
    };
    let mut days = Vec::new();
    let mut day = last.succ();
    while day <= target {
        days.push(day);
        day = day.succ();
    }
    Ok(days)
}

/// A run a person or an API client asked for: settles through `target` and records who did it
/// in the audit log. Returns the days settled.
///
/// The run goes on on a task of its own: a client that hangs up does not stop it halfway.
pub async fn settle_requested(
    graph: &Graph,
    tz: Tz,
    target: BusinessDay,
    now: DateTime<Utc>,
    options: Options,
    actor: &crate::domain::audit::Actor,
) -> Result<Vec<BusinessDay>, SettleError> {
    let (graph, actor) = (graph.without_deadline(), actor.to_string());
    let run = tokio::spawn(async move {
        let settled = settle_through(&graph, tz, target, now, options, |_| {}).await?;
        record_run(&graph, &actor, target, &settled).await?;
        Ok(settled)
    });
    match run.await {
        Ok(result) => result,
        Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
        Err(_) => Err(SettleError::Graph(GraphError::Interrupted)),
    }
}

/// Records in the audit log that `actor` settled through `target` (the run spans many
/// transactions, so it is recorded once it is over).
pub async fn record_run(graph: &Graph, actor: &str, target: BusinessDay, settled: &[BusinessDay]) -> Result<(), SettleError> {
    let detail = crate::domain::audit::Detail { days_settled: Some(settled.len()), ..Default::default() };
    let action = crate::domain::audit::AuditAction::SettlementRun.as_str();
    crate::graph::audit::record(graph, actor, action, &target.to_string(), &detail.to_stored(), Utc::now().timestamp_millis()).await?;
    Ok(())
}

/// A day computed and not written.
pub struct Computed {
    pub day: BusinessDay,
    pub params_version: i64,
    pub snapshot: DaySnapshot,
    pub result: DayResult,
}

impl Computed {
    /// The snapshot indexes of the members with a statement, in phone order.
    pub fn with_movement(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.result.members.len()).filter(|&i| self.result.members[i].has_movement())
    }

    /// How many members the day credits anything (a statement may hold only a forfeit).
    pub fn members_paid(&self) -> usize {
        self.result.members.iter().filter(|day| day.released_fen() > 0).count()
    }
}

/// Reads the day's snapshot and computes it with the parameter version in force (or, for a
/// claimed day, the version its fence recorded).
pub async fn compute(graph: &Graph, day: BusinessDay, version: Option<i64>) -> Result<Computed, SettleError> {
    // The whole tree and every live order: longer than a request's deadline at scale.
    let graph = &graph.without_deadline();
    let history = crate::graph::params::history(graph).await?;
    let in_force = match version {
        Some(version) => history.version(version).ok_or_else(|| GraphError::Corrupt(format!("parameter version {version} is gone")))?,
        None => history.in_force(day),
    };
    let calendar = days::calendar(graph).await?;
    let snapshot = snapshot::read(graph, day, &calendar).await?;
    let rules = Rules::of(&in_force.params);
    let result = engine::settle(&snapshot.snapshot, &rules)?;
    Ok(Computed { day, params_version: in_force.version, snapshot, result })
}

/// Computes the next unsettled day without writing anything (`day` must be that day, or any
/// begun day before the first settlement). That day may be tomorrow, once today is settled: then
/// it is computed as of now, from the orders and refunds so far, which the rest of today changes
/// (the pages say so: [`previews_as_of_now`]).
pub async fn preview(graph: &Graph, tz: Tz, day: BusinessDay, now: DateTime<Utc>) -> Result<Computed, SettleError> {
    may_preview(graph, tz, day, now).await?;
    compute(graph, day, None).await
}

/// The refusals of a preview of `day` (see [`preview`]), which cost a few lookups.
pub async fn may_preview(graph: &Graph, tz: Tz, day: BusinessDay, now: DateTime<Utc>) -> Result<(), SettleError> {
    let today = BusinessDay::of(now, tz);
    if day > today.succ() {
        return Err(SettleError::NotBegun { day, today });
    }
    if let Some(running) = days::running(graph).await? {
        return Err(SettleError::Running {
            day: running.day,
            owner: running.owner.unwrap_or_default(),
            lease_until_ms: running.lease_until_ms.unwrap_or(0),
        });
    }
    if let Some(last) = days::last_settled_day(graph).await? {
        let next = last.succ();
        if day < next {
            return Err(SettleError::PreviewSettled { day, next });
        }
        if day > next {
            return Err(SettleError::PreviewNotNext { day, next });
        }
    }
    Ok(())
}

/// Whether a preview of `day` is one as of now: the day has not begun, so orders and refunds
/// until it begins still change it.
pub fn previews_as_of_now(day: BusinessDay, now: DateTime<Utc>, tz: Tz) -> bool {
    day > BusinessDay::of(now, tz)
}

/// The day's writes, in batches of `batch_members` members in phone order.
pub fn batches(computed: &Computed, batch_members: usize) -> Result<Vec<Batch>, SettleError> {
    let phones = &computed.snapshot.phones;
    let mut orders_of: Vec<Vec<usize>> = vec![Vec::new(); phones.len()];
    for (o, day) in computed.result.orders.iter().enumerate() {
        if day.deducted_fen > 0 {
            orders_of[computed.snapshot.snapshot.orders[o].member as usize].push(o);
        }
    }
    let members: Vec<usize> = computed.with_movement().collect();
    members
        .chunks(batch_members.max(1))
        .map(|chunk| {
            let mut batch = Batch { statements: Vec::with_capacity(chunk.len()), orders: Vec::new() };
            for &i in chunk {
                let day = &computed.result.members[i];
                // Stored with the referrals' phones, which outlive the snapshot's indexes.
                let branches: Vec<Branch<&str>> = day
                    .branches
                    .iter()
                    .map(|b| Branch {
                        member: phones[b.member as usize].as_str(),
                        static_fen: b.static_fen,
                        children_static_fen: b.children_static_fen,
                        bands: b.bands.clone(),
                    })
                    .collect();
                batch.statements.push(StatementWrite {
                    key: statements::key(computed.day, &phones[i]),
                    phone: phones[i].clone(),
                    released_fen: day.released_fen(),
                    amounts: day.amounts(),
                    tier_rank: i64::from(day.tier_rank),
                    team_volume_fen: day.team_volume_fen,
                    branches: serde_json::to_string(&branches).map_err(|e| GraphError::Encode(e.to_string()))?,
                });
                for &o in &orders_of[i] {
                    let order = &computed.snapshot.snapshot.orders[o];
                    let result = computed.result.orders[o];
                    let remaining_fen = order.remaining_fen - result.static_fen - result.deducted_fen;
                    batch.orders.push(OrderWrite {
                        order_id: order.order_id.clone(),
                        remaining_fen,
                        released_fen: computed.snapshot.granted_fen[o] - remaining_fen,
                    });
                }
            }
            Ok(batch)
        })
        .collect()
}

fn totals(computed: &Computed, batches: usize, batch_members: usize) -> DayTotals {
    let mut totals = DayTotals {
        batches_total: batches as i64,
        batch_members: batch_members as i64,
        amounts: Default::default(),
        members_paid: 0,
        statements: 0,
    };
    for i in computed.with_movement() {
        let day = &computed.result.members[i];
        totals.amounts += day.amounts();
        totals.statements += 1;
    }
    totals.members_paid = computed.members_paid() as i64;
    totals
}

/// Renews a run's lease every third of it until dropped: the run shows it is alive also while it
/// reads and computes, which writes nothing.
///
/// The run's own writes of its day's node take turns with the renewals: a renewal committed while
/// a batch is being written would win against the batch's commit, which would run again, and a
/// batch slower than a third of the lease would never commit. Taking turns keeps a run from
/// conflicting with itself; runs of other processes are kept apart by the claim in the database.
struct Heartbeat {
    task: tokio::task::JoinHandle<()>,
    turn: Arc<tokio::sync::Mutex<()>>,
}

impl Heartbeat {
    fn start(graph: &Graph, day: BusinessDay, owner: &str, options: Options) -> Heartbeat {
        let (graph, owner) = (graph.clone(), owner.to_string());
        let turn = Arc::new(tokio::sync::Mutex::new(()));
        let renewals_turn = turn.clone();
        let task = tokio::spawn(async move {
            loop {
                tokio::time::sleep(options.lease / 3).await;
                let _turn = renewals_turn.lock().await;
                match runs::renew_lease(&graph, day, &owner, lease_until(&options)).await {
                    Ok(true) => {}
                    Ok(false) => return,
                    Err(error) => tracing::warn!(%error, %day, "the settlement's lease could not be renewed"),
                }
            }
        });
        Heartbeat { task, turn }
    }

    /// Waits for the renewal in flight, if any, and keeps the next one waiting while the guard lives.
    async fn turn(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.turn.lock().await
    }
}

impl Drop for Heartbeat {
    fn drop(&mut self) {
        // Each renewal runs on a task of its own: stopping between them cuts no exchange short.
        self.task.abort();
    }
}

/// Settles the claimed day `row`: computes and stores its batches unless they are stored, writes
/// the batches not yet done and marks the day settled.
async fn run_day(
    graph: &Graph,
    tz: Tz,
    day: BusinessDay,
    owner: &str,
    row: SettlementRow,
    options: Options,
    progress: &mut impl FnMut(Progress),
) -> Result<(), SettleError> {
    let started = std::time::Instant::now();
    let _writing = Writing::start();
    let heartbeat = Heartbeat::start(graph, day, owner, options);
    let (computed, total) = if row.planned {
        (None, row.batches_total as usize)
    } else {
        // Nothing of the day is written before its batches are stored: computing it (again)
        // reads the day as its fence froze it. Raising the fence again is harmless.
        crate::graph::fence::raise(graph, day).await?;
        let version = {
            let _turn = heartbeat.turn().await;
            runs::record_version(graph, day, owner).await?
        };
        let computed = compute(graph, day, Some(version)).await?;
        let batches = batches(&computed, options.batch_members)?;
        let totals = totals(&computed, batches.len(), options.batch_members);
        let turn = heartbeat.turn().await;
        runs::plan(graph, day, owner, &totals, &batches).await?;
        drop(turn);
        tracing::info!(%day, statements = totals.statements, params_version = version, "computed");
        (Some(batches), totals.batches_total as usize)
    };
    progress(Progress::Computed { day, batches: total });
    let first = row.batches_done as usize;
    for index in first..total {
        if options.stop_after_batches.is_some_and(|stop| index - first >= stop) || STOPPING.load(Ordering::SeqCst) {
            let _turn = heartbeat.turn().await;
            runs::release(graph, day, owner).await?;
            return Err(SettleError::Stopped { batches: index - first });
        }
        let batch = match &computed {
            Some(batches) => &batches[index],
            None => &runs::stored_batch(graph, day, index as i64).await?,
        };
        let turn = heartbeat.turn().await;
        runs::apply_batch(graph, day, owner, index as i64, batch, lease_until(&options)).await?;
        drop(turn);
        progress(Progress::Batch { day, done: index + 1, total });
    }
    let turn = heartbeat.turn().await;
    runs::finish(graph, day, owner, Utc::now().timestamp_millis()).await?;
    drop(turn);
    crate::graph::fence::close(graph, day).await?;
    crate::telemetry::SETTLEMENT_DAY_SECONDS.observe(started.elapsed().as_secs_f64());
    tracing::info!(%day, tz = %tz, "settled");
    Ok(())
}

/// The day due for settlement at `now`: today once the grace period after its midnight has
/// passed (late orders of the day before have had time to arrive), yesterday before that.
pub fn due_day(now: DateTime<Utc>, tz: Tz, grace: chrono::TimeDelta) -> BusinessDay {
    let today = BusinessDay::of(now, tz);
    if now >= today.start_utc(tz) + grace { today } else { today.pred() }
}

/// Finishes a stopped run and settles every day due. Settles nothing before the first
/// settlement: the first day of a scheme is chosen by a person (API, pages or `settle`).
pub async fn settle_due(graph: &Graph, tz: Tz, grace: chrono::TimeDelta, options: Options) -> Result<Vec<BusinessDay>, SettleError> {
    let never_settled = days::last_settled_day(graph).await?.is_none();
    if never_settled && days::running(graph).await?.is_none() {
        return Ok(Vec::new());
    }
    let now = Utc::now();
    settle_through(graph, tz, due_day(now, tz, grace), now, options, |_| {}).await
}

/// How long to wait before trying again to claim a run another holds until `lease_until_ms`:
/// until just after the lease expires, and at least a second.
pub fn until_lease_expires(lease_until_ms: i64) -> Duration {
    let left = lease_until_ms - Utc::now().timestamp_millis();
    Duration::from_millis(left.clamp(0, 60_000) as u64) + Duration::from_secs(1)
}

/// Finishes what a stopped process left behind: the fence of a settled day left open, and the
/// run of a day, taking it over once its lease has expired (at once when another server finishes it first). Runs until no run is left unfinished;
/// the server serves meanwhile.
pub async fn finish_stopped(graph: Graph, tz: Tz, options: Options) {
    if let Err(error) = crate::graph::fence::close_if_open(&graph).await {
        tracing::warn!(%error, "cannot close the fence of the latest settled day; the next run does");
    }
    loop {
        let stopped = match days::running(&graph).await {
            Ok(None) => return,
            Ok(Some(stopped)) => stopped,
            Err(error) => {
                tracing::warn!(%error, "cannot tell whether a settlement stopped halfway; asking again shortly");
                tokio::time::sleep(Duration::from_secs(5)).await;
                continue;
            }
        };
        let day = stopped.day;
        match settle_through(&graph, tz, day, Utc::now(), options, |_| {}).await {
            Ok(_) => tracing::info!(%day, "finished the settlement that had stopped halfway"),
            Err(SettleError::Running { owner, lease_until_ms, .. }) => {
                tracing::info!(%day, %owner, "a settlement is running; taking it over if its lease expires");
                tokio::time::sleep(until_lease_expires(lease_until_ms)).await;
            }
            Err(error) => {
                tracing::error!(%error, %day, "finishing the stopped settlement failed; trying again shortly");
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
        }
    }
}

/// The server's own settlement: every day shortly after midnight (after `grace`), and again a
/// minute after a failure. Runs until the process ends.
pub async fn settle_daily(graph: Graph, tz: Tz, grace: chrono::TimeDelta, options: Options) {
    loop {
        let wait = match settle_due(&graph, tz, grace, options).await {
            Ok(days) => {
                if !days.is_empty() {
                    tracing::info!(days = days.len(), "automatic settlement done");
                }
                let next = BusinessDay::of(Utc::now(), tz).succ().start_utc(tz) + grace;
                (next - Utc::now()).to_std().unwrap_or_default()
            }
            Err(SettleError::Running { lease_until_ms, .. }) => until_lease_expires(lease_until_ms),
            Err(error) => {
                tracing::error!(%error, "automatic settlement failed; retrying in a minute");
                Duration::from_secs(60)
            }
        };
        tokio::time::sleep(wait).await;
    }
}
