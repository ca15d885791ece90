//! Attempt limits kept in the database (logins, code requests, registrations by client address),
//! so that they hold across every server: one node per key, claimed and moved on in one
//! transaction; concurrent attempts on one key conflict and are decided one after the other.
use serde::Deserialize;

use super::{Graph, GraphResult};
use crate::cypher;
use crate::domain::throttle::Rate;

/// Whether an attempt on `key` at `now_ms` is within `rate`; a let-through attempt is counted.
pub async fn admit(graph: &Graph, key: &str, rate: Rate, now_ms: i64) -> GraphResult<bool> {
    let key = key.to_string();
    graph
        .transaction(move |txn| {
            let key = key.clone();
            Box::pin(async move {
                #[derive(Deserialize)]
                struct Claimed {
                    tat_ms: i64,
                }
                let claimed: Option<Claimed> =
                    txn.row(cypher!("throttles/claim").param("key", key.as_str()).param("now_ms", now_ms)).await?;
                let Some(next) = rate.admit(claimed.map_or(0, |c| c.tat_ms), now_ms) else { return Ok(false) };
                txn.run(cypher!("throttles/advance").param("key", key.as_str()).param("tat_ms", next)).await?;
                Ok(true)
            })
        })
        .await
}

/// Forgets the throttles that no longer hold anything back; returns how many.
pub async fn forget_idle(graph: &Graph, now_ms: i64) -> GraphResult<i64> {
    #[derive(Deserialize)]
    struct Forgotten {
        forgotten: i64,
    }
    let row: Option<Forgotten> = graph.row(cypher!("throttles/forget").param("before_ms", now_ms)).await?;
    Ok(row.map_or(0, |r| r.forgotten))
}
