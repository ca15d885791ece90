//! Settled days (the settlement itself comes with its own issue).
use serde::Deserialize;

use super::{Graph, GraphError, GraphResult, LedgerTxn};
use crate::cypher;
use crate::domain::day::BusinessDay;

#[derive(Deserialize)]
struct LastDay {
    day: Option<String>,
}

/// The latest settled business day, read inside a ledger transaction.
pub async fn last_settled_day_in(txn: &mut LedgerTxn) -> GraphResult<Option<BusinessDay>> {
    decode(txn.row(cypher!("settlements/last_settled_day")).await?)
}

/// The latest settled business day.
pub async fn last_settled_day(graph: &Graph) -> GraphResult<Option<BusinessDay>> {
    decode(graph.row(cypher!("settlements/last_settled_day")).await?)
}

fn decode(row: Option<LastDay>) -> GraphResult<Option<BusinessDay>> {
    row.and_then(|r| r.day)
        .map(|day| day.parse().map_err(|_| GraphError::Corrupt(format!("settlement day {day:?}"))))
        .transpose()
}
