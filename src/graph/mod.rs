//! The only place that talks to the graph database (Neo4j 5, or the embedded ArcadeDB, over Bolt).
//! Every statement is a file in `cypher/`, loaded with [`cypher!`]; values go in as parameters.
pub mod admins;
pub mod api_keys;
pub mod audit;
pub mod dashboard;
pub mod ledger;
pub mod members;
pub mod orders;
pub mod params;
pub mod schema;
pub mod seed;
pub mod sessions;
pub mod settlements;
pub mod sms;
pub mod sms_codes;
pub mod withdrawals;

use std::sync::Arc;

use neo4rs::{ConfigBuilder, Query, Txn};
use serde::de::DeserializeOwned;

use crate::domain::day::BusinessDay;

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
    pub password: String,
    pub database: String,
}

/// What the graph layer can answer instead of a result: a rule the stored state refuses, or a
/// failure of the database itself.
#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    #[error("no member has this phone number")]
    MemberNotFound,
    #[error("the sponsor is not a member")]
    SponsorNotFound,
    #[error("a member with this phone number already exists")]
    PhoneTaken,
    #[error("the scheme already has its root member; name a sponsor")]
    RootExists,
    #[error("the new sponsor is the member or stands in the member's downline")]
    SponsorCycle,
    #[error("not enough available points")]
    InsufficientPoints,
    #[error("no order has this id")]
    OrderNotFound,
    #[error("an order with this id was received with a different body")]
    OrderIdConflict,
    #[error("the day was already settled on {settled}; the order would have taken part in it")]
    DaySettled { settled: BusinessDay },
    #[error("effective_from must be after the latest settled day, {settled}")]
    EffectiveFromSettled { settled: BusinessDay },
    #[error("orders were already paid on or after effective_from; their grants used the version in force then")]
    EffectiveFromHasOrders,
    #[error("this idempotency key was used for a different request")]
    IdempotencyKeyConflict,
    #[error("no withdrawal has this id")]
    WithdrawalNotFound,
    #[error("the withdrawal is {status}; it cannot become {to}")]
    WithdrawalState { status: String, to: &'static str },
    #[error("graph database error: {0}")]
    Database(#[from] neo4rs::Error),
    #[error("unexpected row from the graph database: {0}")]
    Decode(#[from] neo4rs::DeError),
    #[error("cannot encode parameters: {0}")]
    Encode(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

impl GraphError {
    /// A uniqueness constraint refused the write: the caller lost a race for a key.
    pub fn is_constraint_violation(&self) -> bool {
        matches!(self, GraphError::Database(neo4rs::Error::Neo4j(e)) if e.code().contains("ConstraintValidationFailed"))
    }
}

pub type GraphResult<T> = Result<T, GraphError>;

/// A connection pool to one database, plus the lock that serialises the writes that move points
/// (a sum of fen read and written back must not interleave with another) and the lock that lets
/// one settlement run at a time.
#[derive(Clone)]
pub struct Graph {
    inner: neo4rs::Graph,
    ledger: Arc<tokio::sync::Mutex<()>>,
    settlement: Arc<tokio::sync::Mutex<()>>,
}

/// The ledger lock, held across several transactions (a settlement's batches).
pub struct LedgerGuard {
    _held: tokio::sync::OwnedMutexGuard<()>,
}

/// The right to run the settlement, held by one run at a time.
pub struct SettlementGuard {
    _held: tokio::sync::OwnedMutexGuard<()>,
}

impl Graph {
    pub async fn connect(config: &GraphConfig) -> GraphResult<Self> {
        let address = config
            .uri
            .trim_start_matches("bolt://")
            .trim_start_matches("neo4j://")
            .to_string();
        let neo = ConfigBuilder::default()
            .uri(address)
            .user(config.user.as_str())
            .password(config.password.as_str())
            .db(config.database.as_str())
            .fetch_size(10_000)
            .max_connections(16)
            .build()?;
        Ok(Graph { inner: neo4rs::Graph::connect(neo).await?, ledger: Arc::default(), settlement: Arc::default() })
    }

    /// Runs a statement outside any explicit transaction and discards what it returns.
    pub async fn run(&self, query: Query) -> GraphResult<()> {
        Ok(self.inner.run(query).await?)
    }

    /// Runs a read and decodes every row.
    pub async fn rows<T: DeserializeOwned>(&self, query: Query) -> GraphResult<Vec<T>> {
        let mut stream = self.inner.execute(query).await?;
        let mut out = Vec::new();
        while let Some(row) = stream.next().await? {
            out.push(row.to::<T>()?);
        }
        Ok(out)
    }

    /// Runs a read expected to return at most one row.
    pub async fn row<T: DeserializeOwned>(&self, query: Query) -> GraphResult<Option<T>> {
        Ok(self.rows(query).await?.into_iter().next())
    }

    /// Opens a transaction holding the ledger lock until it commits or is dropped.
    pub async fn ledger_txn(&self) -> GraphResult<LedgerTxn> {
        let guard = self.ledger.clone().lock_owned().await;
        Ok(LedgerTxn { txn: self.inner.start_txn().await?, _guard: Some(guard) })
    }

    /// Waits for the ledger lock and keeps it until the guard is dropped.
    pub async fn lock_ledger(&self) -> LedgerGuard {
        LedgerGuard { _held: self.ledger.clone().lock_owned().await }
    }

    /// Opens a transaction under a ledger lock already held.
    pub async fn txn_under(&self, _held: &LedgerGuard) -> GraphResult<LedgerTxn> {
        Ok(LedgerTxn { txn: self.inner.start_txn().await?, _guard: None })
    }

    /// The settlement lock, or `None` when another run holds it.
    pub fn try_lock_settlement(&self) -> Option<SettlementGuard> {
        self.settlement.clone().try_lock_owned().ok().map(|held| SettlementGuard { _held: held })
    }
}

/// An explicit transaction under the ledger lock. Dropped without `commit`, it rolls back
/// (the server discards an open transaction when its connection goes).
pub struct LedgerTxn {
    txn: Txn,
    /// `None` when the caller holds the lock for longer than this transaction.
    _guard: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl LedgerTxn {
    pub async fn run(&mut self, query: Query) -> GraphResult<()> {
        Ok(self.txn.run(query).await?)
    }

    pub async fn rows<T: DeserializeOwned>(&mut self, query: Query) -> GraphResult<Vec<T>> {
        let mut stream = self.txn.execute(query).await?;
        let mut out = Vec::new();
        while let Some(row) = stream.next(self.txn.handle()).await? {
            out.push(row.to::<T>()?);
        }
        Ok(out)
    }

    pub async fn row<T: DeserializeOwned>(&mut self, query: Query) -> GraphResult<Option<T>> {
        Ok(self.rows(query).await?.into_iter().next())
    }

    /// Commits when the work succeeded, rolls back when it failed; returns the work's result.
    pub async fn finish<T>(self, result: GraphResult<T>) -> GraphResult<T> {
        match result {
            Ok(value) => {
                self.txn.commit().await?;
                Ok(value)
            }
            Err(error) => {
                if let Err(rollback) = self.txn.rollback().await {
                    tracing::warn!(%rollback, "rollback failed; the server discards the transaction with its connection");
                }
                Err(error)
            }
        }
    }
}

/// Turns serialisable rows into one Bolt list parameter for `UNWIND $rows`.
pub fn bolt_rows<T: serde::Serialize>(rows: &[T]) -> GraphResult<neo4rs::BoltType> {
    let value = serde_json::to_value(rows).map_err(|e| GraphError::Encode(e.to_string()))?;
    neo4rs::BoltType::try_from(value).map_err(|e| GraphError::Encode(e.to_string()))
}
