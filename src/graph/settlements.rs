//! Settled days (the settlement itself comes with its own issue).
use serde::Deserialize;

use super::{GraphError, GraphResult, LedgerTxn};
use crate::cypher;
use crate::domain::day::BusinessDay;

#[derive(Deserialize)]
struct LastDay {
    day: Option<String>,
}

/// The latest settled business day, read inside a ledger transaction.
pub async fn last_settled_day_in(txn: &mut LedgerTxn) -> GraphResult<Option<BusinessDay>> {
    let row: Option<LastDay> = txn.row(cypher!("settlements/last_settled_day")).await?;
    row.and_then(|r| r.day)
        .map(|day| day.parse().map_err(|_| GraphError::Corrupt(format!("settlement day {day:?}"))))
        .transpose()
}
