//! The only place that talks to the graph database (Neo4j 5, or the embedded ArcadeDB, over Bolt).
//! Every statement is a file in `cypher/`, loaded with [`cypher!`]; values go in as parameters.
pub mod admins;
pub mod api_keys;
pub mod audit;
pub mod bench;
pub mod dashboard;
pub mod fence;
pub mod ledger;
pub mod members;
pub mod orders;
pub mod params;
pub mod payout_accounts;
pub mod schema;
pub mod seed;
pub mod sessions;
pub mod settlements;
pub mod sms;
pub mod sms_codes;
pub mod teams;
pub mod throttles;
pub mod withdrawals;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use neo4rs::{ConfigBuilder, Query};
use serde::de::DeserializeOwned;
use tokio::sync::{mpsc, oneshot};

/// Loads one Cypher statement from `cypher/<path>.cypher` at compile time.
#[macro_export]
macro_rules! cypher {
    ($path:literal) => {
        neo4rs::query(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/cypher/", $path, ".cypher")))
    };
}

/// How to reach the graph database; read from `GREENPOINTS_GRAPH_*`.
#[derive(Clone, Debug)]
pub struct GraphConfig {
    pub uri: String,
    pub user: String,
    pub password: secrecy::SecretString,
    pub database: String,
}

/// A failure of the database itself, or stored data that breaks an invariant. Rules are not
/// decided here: building blocks answer what they found (an `Option`, a flag), and the use cases
/// in `app/` refuse.
#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    #[error("graph database error: {0}")]
    Database(#[from] neo4rs::Error),
    #[error("unexpected row from the graph database: {0}")]
    Decode(#[from] neo4rs::DeError),
    #[error("cannot encode parameters: {0}")]
    Encode(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("the database exchange was stopped by the server shutting down")]
    Interrupted,
    #[error("the database did not answer within {after:?}")]
    TimedOut { after: Duration },
}

/// The error of a transaction's work: a database fault, or the caller's own refusals. A transient
/// fault runs the transaction again; anything else ends it.
pub trait TransactionError: From<GraphError> + std::fmt::Display + Send {
    fn is_transient(&self) -> bool;
}

impl TransactionError for GraphError {
    fn is_transient(&self) -> bool {
        GraphError::is_transient(self)
    }
}

impl GraphError {
    /// A uniqueness constraint refused the write: the caller lost a race for a key.
    pub fn is_constraint_violation(&self) -> bool {
        matches!(self, GraphError::Database(neo4rs::Error::Neo4j(e)) if e.code().contains("ConstraintValidationFailed"))
    }

    /// Another transaction got in the way (a write conflict, a deadlock, a unique key it took
    /// first): the same transaction run again may well succeed, or decide otherwise.
    pub fn is_transient(&self) -> bool {
        self.is_constraint_violation()
            || matches!(self, GraphError::Database(neo4rs::Error::Neo4j(e))
                if matches!(e.kind(), neo4rs::Neo4jErrorKind::Transient) || asks_for_a_retry(e.code(), e.message()))
    }

    /// The database could not be reached or did not answer in time (or said the failure is
    /// transient): the same request may well succeed a little later.
    pub fn is_unavailable(&self) -> bool {
        use neo4rs::Error as E;
        match self {
            GraphError::Interrupted | GraphError::TimedOut { .. } => true,
            // Still in the way once the retries ran out.
            _ if self.is_transient() => true,
            GraphError::Database(
                E::IOError { .. }
                | E::ConnectionError
                | E::ConnectionTimedOut
                | E::IncompleteBoltExchange
                | E::ServerUnavailableError(_)
                | E::AuthenticationError(_)
                | E::RequestIgnoredError,
            ) => true,
            _ => false,
        }
    }
}

/// ArcadeDB reports some of its conflicts between concurrent transactions (its `NeedRetryException`s,
/// a duplicate key found at commit) as a general database error whose message asks for a retry.
fn asks_for_a_retry(code: &str, message: &str) -> bool {
    code.starts_with("Neo.DatabaseError.")
        && ["retry the operation", "DuplicatedKey", "Duplicated key", "ConcurrentModification"].iter().any(|m| message.contains(m))
}

pub type GraphResult<T> = Result<T, GraphError>;

/// A connection pool to one database.
///
/// Every exchange with the database runs on a task of its own, which the caller awaits: a caller
/// that goes away (a request whose client hung up, an extractor dropped because another one
/// failed) never cuts a statement or a transaction short, so no connection goes back to the pool
/// with an answer unread. Each task reads every row before it answers, also when a row fails to
/// decode. Every statement runs in an explicit transaction, so that the only retries are ours:
/// the driver's own (auto-commit statements, for up to a minute) never happen.
///
/// Any number of processes share the database, so every guard is in the database (constraints,
/// conditional writes, the fence and the settlement's lease), and a write that lost a race to
/// another is run again. Inside one process the writes of members and the ledger
/// ([`Graph::write`]) take turns, one transaction at a time: they meet on members' nodes (a
/// withdrawal and an adjustment of one member), and one at a time commits each at the first
/// attempt where many at once would conflict and retry. Correctness does not rest on it (two
/// servers write at once); no settlement, team fold or order intake holds it (an intake writes a
/// few nodes, and intakes of different members rarely meet).
#[derive(Clone)]
pub struct Graph {
    inner: neo4rs::Graph,
    writes: Arc<tokio::sync::Mutex<()>>,
    /// How long a caller waits for each exchange before it gives up with `TimedOut`; the exchange
    /// itself still runs to its end. `None`: as long as it takes.
    deadline: Option<Duration>,
}

/// Rows are fetched this many at a time: the settlement reads whole days.
const FETCH_SIZE: usize = 10_000;
/// Connections per process; a settlement holds one, each request at most one.
const MAX_CONNECTIONS: usize = 16;
/// Bounds connecting and every wait for the database's next message. The longest single wait is
/// the commit of a settlement batch (seconds); a frozen database frees the task after this.
const MESSAGE_TIMEOUT: Duration = Duration::from_secs(30);
/// A caller waits at most this long for a free connection.
const POOL_WAIT: Duration = Duration::from_secs(10);
/// Returning a connection to the pool drains what it still owes and resets it within this bound,
/// or the connection is closed.
const RECYCLE_TIMEOUT: Duration = Duration::from_secs(5);
/// TCP keepalive, so that a peer that vanished without closing is noticed.
const KEEPALIVE: Duration = Duration::from_secs(30);
/// How long [`Graph::transaction`] keeps running a transaction again after transient failures.
const RETRY_BUDGET: Duration = Duration::from_secs(3);
const RETRY_FIRST_PAUSE: Duration = Duration::from_millis(5);
const RETRY_LONGEST_PAUSE: Duration = Duration::from_millis(250);

/// The future a [`Graph::transaction`] step returns: it may hold the transaction, and nothing else it borrows.
pub type BoxFuture<'t, T> = Pin<Box<dyn Future<Output = T> + Send + 't>>;

impl Graph {
    pub async fn connect(config: &GraphConfig) -> GraphResult<Self> {
        let neo = ConfigBuilder::default()
            .uri(connection_uri(&config.uri))
            .user(config.user.as_str())
            .password(secrecy::ExposeSecret::expose_secret(&config.password))
            .db(config.database.as_str())
            .fetch_size(FETCH_SIZE)
            .max_connections(MAX_CONNECTIONS)
            .connection_timeout(MESSAGE_TIMEOUT)
            .tcp_keepalive(KEEPALIVE)
            // neo4rs wires `idle_timeout` to the pool's recycle timeout and `max_lifetime` to its wait timeout.
            .idle_timeout(RECYCLE_TIMEOUT)
            .max_lifetime(POOL_WAIT)
            .build()?;
        let inner = neo4rs::Graph::connect(neo)?;
        // The pool connects lazily: try one connection now, so that a wrong address or password is told at once.
        let graph = Graph { inner, writes: Arc::default(), deadline: None };
        graph.run(neo4rs::query("RETURN 1 AS ready")).await?;
        Ok(graph)
    }

    /// The same database, for callers that must answer within `deadline` per exchange (requests:
    /// a database that does not answer becomes a quick 503, not a hang).
    pub fn with_deadline(&self, deadline: Duration) -> Graph {
        Graph { deadline: Some(deadline), ..self.clone() }
    }

    /// The same database without a deadline, for work that takes as long as it takes (a settlement).
    pub fn without_deadline(&self) -> Graph {
        Graph { deadline: None, ..self.clone() }
    }

    /// Runs a statement in a transaction of its own and discards what it returns.
    pub async fn run(&self, query: Query) -> GraphResult<()> {
        let inner = self.inner.clone();
        self.detached(async move {
            let mut txn = inner.start_txn().await?;
            let result = txn.run(query).await.map_err(GraphError::from);
            commit_or_roll_back(txn, result).await
        })
        .await
    }

    /// Runs a read in a transaction of its own and decodes every row.
    pub async fn rows<T: DeserializeOwned + Send + 'static>(&self, query: Query) -> GraphResult<Vec<T>> {
        let inner = self.inner.clone();
        self.detached(async move {
            let mut txn = inner.start_txn().await?;
            let result = collect_rows(&mut txn, query).await;
            commit_or_roll_back(txn, result).await
        })
        .await
    }

    /// Runs a read expected to return at most one row.
    pub async fn row<T: DeserializeOwned + Send + 'static>(&self, query: Query) -> GraphResult<Option<T>> {
        Ok(self.rows(query).await?.into_iter().next())
    }

    /// Runs `work` as [`Graph::transaction`] does, each attempt taking its turn among this
    /// process's writes of members and the ledger.
    pub async fn write<T, E, W>(&self, work: W) -> Result<T, E>
    where
        E: TransactionError,
        W: for<'t> FnMut(&'t mut Txn) -> BoxFuture<'t, Result<T, E>> + Send,
    {
        self.retrying(RETRY_BUDGET, true, work).await
    }

    /// Runs `work` in a transaction and commits it when `work` succeeds. A transient failure (a
    /// write conflict another transaction won, a key it took first) rolls the transaction back
    /// and runs `work` again, after a pause that grows and is jittered, for up to
    /// [`RETRY_BUDGET`]: `work` reads what it decides on inside the transaction, so the next
    /// attempt decides on what the winner wrote (a replay, a refusal, or a success).
    pub async fn transaction<T, E, W>(&self, work: W) -> Result<T, E>
    where
        E: TransactionError,
        W: for<'t> FnMut(&'t mut Txn) -> BoxFuture<'t, Result<T, E>> + Send,
    {
        self.retrying(RETRY_BUDGET, false, work).await
    }

    /// Like [`Graph::transaction`], retried for up to `budget` (work that many others write
    /// against, like the settlement's fence, and that no client waits for).
    pub async fn transaction_retried_for<T, E, W>(&self, budget: Duration, work: W) -> Result<T, E>
    where
        E: TransactionError,
        W: for<'t> FnMut(&'t mut Txn) -> BoxFuture<'t, Result<T, E>> + Send,
    {
        self.retrying(budget, false, work).await
    }

    async fn retrying<T, E, W>(&self, budget: Duration, taking_turns: bool, mut work: W) -> Result<T, E>
    where
        E: TransactionError,
        W: for<'t> FnMut(&'t mut Txn) -> BoxFuture<'t, Result<T, E>> + Send,
    {
        let started = tokio::time::Instant::now();
        let mut pause = RETRY_FIRST_PAUSE;
        loop {
            let turn = match taking_turns {
                true => Some(within(self.deadline, async { Ok(self.writes.clone().lock_owned().await) }).await?),
                false => None,
            };
            let mut txn = Txn { txn: TxnTask::begin(&self.inner, self.deadline).await?, _turn: turn };
            let result = work(&mut txn).await;
            match txn.finish(result).await {
                Err(error) if error.is_transient() && started.elapsed() + pause < budget => {
                    tracing::debug!(%error, "transient failure; the transaction runs again");
                    crate::telemetry::DATABASE_RETRIES.with_label_values(&["retried"]).inc();
                    // Jittered between half and one and a half of the pause.
                    let ms = pause.as_millis() as u64;
                    tokio::time::sleep(Duration::from_millis(rand::random_range(ms / 2..=ms + ms / 2))).await;
                    pause = (pause * 2).min(RETRY_LONGEST_PAUSE);
                }
                outcome => return outcome,
            }
        }
    }
}

/// The address as neo4rs takes it (a bare `host:port` is `bolt://`). A `neo4j://` address is
/// reached directly too (neo4rs's client-side routing is behind an unstable feature, not compiled
/// in), but its handshake carries the routing context, so a Neo4j cluster with server-side
/// routing (`dbms.routing.default_router=SERVER`) forwards writes to the leader; a `bolt://`
/// address is never routed.
fn connection_uri(uri: &str) -> String {
    if uri.contains("://") { uri.to_string() } else { format!("bolt://{uri}") }
}

impl Graph {
    /// Runs a database exchange on a task of its own and waits for it (within the deadline, if
    /// any): dropping the waiting future, or giving up on it, leaves the exchange to finish.
    async fn detached<T: Send + 'static>(&self, work: impl Future<Output = GraphResult<T>> + Send + 'static) -> GraphResult<T> {
        within(self.deadline, joined(tokio::spawn(work))).await
    }
}

async fn joined<T>(task: tokio::task::JoinHandle<GraphResult<T>>) -> GraphResult<T> {
    match task.await {
        Ok(result) => result,
        Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
        Err(_) => Err(GraphError::Interrupted),
    }
}

/// Waits for `wait`, or gives up with `TimedOut` after `deadline`; counts the outcome.
async fn within<T>(deadline: Option<Duration>, wait: impl Future<Output = GraphResult<T>>) -> GraphResult<T> {
    let result = match deadline {
        None => wait.await,
        Some(deadline) => tokio::time::timeout(deadline, wait).await.unwrap_or(Err(GraphError::TimedOut { after: deadline })),
    };
    let outcome = match &result {
        Ok(_) => "ok",
        Err(GraphError::TimedOut { .. }) => "timed_out",
        // Refusals decided by our own rules are answers, not failures of the exchange.
        Err(GraphError::Database(_) | GraphError::Decode(_) | GraphError::Interrupted) => "error",
        Err(_) => "ok",
    };
    crate::telemetry::DATABASE_EXCHANGES.with_label_values(&[outcome]).inc();
    result
}

/// Reads every row of a statement, decoding each. A row that fails to decode does not stop the
/// reading: the rest are read (and dropped), then the first decode error is answered.
async fn collect_rows<T: DeserializeOwned>(txn: &mut neo4rs::Txn, query: Query) -> GraphResult<Vec<T>> {
    let mut stream = txn.execute(query).await?;
    let mut rows = Vec::new();
    let mut undecodable = None;
    while let Some(row) = stream.next(txn.handle()).await? {
        if undecodable.is_none() {
            match row.to::<T>() {
                Ok(decoded) => rows.push(decoded),
                Err(error) => undecodable = Some(error),
            }
        }
    }
    match undecodable {
        None => Ok(rows),
        Some(error) => Err(GraphError::Decode(error)),
    }
}

async fn commit_or_roll_back<T>(txn: neo4rs::Txn, result: GraphResult<T>) -> GraphResult<T> {
    match result {
        Ok(value) => {
            txn.commit().await?;
            Ok(value)
        }
        Err(error) => {
            if let Err(rollback) = txn.rollback().await {
                tracing::warn!(%rollback, "rollback failed; the connection is reset or closed before reuse");
            }
            Err(error)
        }
    }
}

type Exchange = Box<dyn for<'t> FnOnce(&'t mut neo4rs::Txn) -> Pin<Box<dyn Future<Output = ()> + Send + 't>> + Send>;

enum TxnCommand {
    Exchange(Exchange),
    Commit(oneshot::Sender<GraphResult<()>>),
}

/// An explicit transaction owned by a task of its own, which runs each statement it is sent to
/// its end. Dropped without a commit, the task rolls the transaction back.
struct TxnTask {
    commands: mpsc::UnboundedSender<TxnCommand>,
    deadline: Option<Duration>,
}

impl TxnTask {
    async fn begin(graph: &neo4rs::Graph, deadline: Option<Duration>) -> GraphResult<TxnTask> {
        let graph = graph.clone();
        let txn = within(deadline, joined(tokio::spawn(async move { Ok(graph.start_txn().await?) }))).await?;
        let (commands, mut received) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut txn = txn;
            while let Some(command) = received.recv().await {
                match command {
                    TxnCommand::Exchange(exchange) => exchange(&mut txn).await,
                    TxnCommand::Commit(answer) => {
                        let _ = answer.send(txn.commit().await.map_err(GraphError::from));
                        return;
                    }
                }
            }
            if let Err(rollback) = txn.rollback().await {
                tracing::debug!(%rollback, "rollback of an abandoned transaction failed; the connection is reset or closed before reuse");
            }
        });
        Ok(TxnTask { commands, deadline })
    }

    /// Sends `work` to the transaction's task and waits for its answer.
    async fn exchange<T, W>(&self, work: W) -> GraphResult<T>
    where
        T: Send + 'static,
        W: for<'t> FnOnce(&'t mut neo4rs::Txn) -> Pin<Box<dyn Future<Output = GraphResult<T>> + Send + 't>> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let exchange: Exchange = Box::new(move |txn| {
            Box::pin(async move {
                let _ = answer.send(work(txn).await);
            })
        });
        self.commands.send(TxnCommand::Exchange(exchange)).map_err(|_| GraphError::Interrupted)?;
        within(self.deadline, async { answered.await.map_err(|_| GraphError::Interrupted)? }).await
    }

    async fn commit(self) -> GraphResult<()> {
        let (answer, answered) = oneshot::channel();
        self.commands.send(TxnCommand::Commit(answer)).map_err(|_| GraphError::Interrupted)?;
        within(self.deadline, async { answered.await.map_err(|_| GraphError::Interrupted)? }).await
    }
}

/// An explicit transaction. Dropped without `finish`, it rolls back.
pub struct Txn {
    txn: TxnTask,
    /// The process's turn to write, for a [`Graph::write`], until the transaction ends.
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Txn {
    pub async fn run(&mut self, query: Query) -> GraphResult<()> {
        self.txn.exchange(move |txn| Box::pin(async move { Ok(txn.run(query).await?) })).await
    }

    pub async fn rows<T: DeserializeOwned + Send + 'static>(&mut self, query: Query) -> GraphResult<Vec<T>> {
        self.txn.exchange(move |txn| Box::pin(collect_rows(txn, query))).await
    }

    pub async fn row<T: DeserializeOwned + Send + 'static>(&mut self, query: Query) -> GraphResult<Option<T>> {
        Ok(self.rows(query).await?.into_iter().next())
    }

    /// Commits when the work succeeded, rolls back when it failed; returns the work's result.
    pub async fn finish<T, E: From<GraphError>>(self, result: Result<T, E>) -> Result<T, E> {
        match result {
            Ok(value) => {
                self.txn.commit().await?;
                Ok(value)
            }
            // Dropping the transaction's handle makes its task roll it back.
            Err(error) => Err(error),
        }
    }
}

/// Turns serialisable rows into one Bolt list parameter for `UNWIND $rows`.
pub fn bolt_rows<T: serde::Serialize>(rows: &[T]) -> GraphResult<neo4rs::BoltType> {
    let value = serde_json::to_value(rows).map_err(|e| GraphError::Encode(e.to_string()))?;
    neo4rs::BoltType::try_from(value).map_err(|e| GraphError::Encode(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::asks_for_a_retry;

    #[test]
    fn a_general_database_error_that_asks_for_a_retry_is_transient_and_others_are_not() {
        let concurrent = "Concurrent modification on page PageId(db/6/18) (current v.5 <> database v.6). Please retry the operation";
        assert!(asks_for_a_retry("Neo.DatabaseError.General.UnknownError", concurrent));
        assert!(asks_for_a_retry("Neo.DatabaseError.General.UnknownError", "DuplicatedKeyException: Duplicated key [x] found on index"));
        assert!(!asks_for_a_retry("Neo.DatabaseError.General.UnknownError", "Record #6:18 not found"));
        assert!(!asks_for_a_retry("Neo.ClientError.Statement.SyntaxError", concurrent), "a client error is ours to fix");
    }
}
