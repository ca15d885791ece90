//! Attempt limits kept in the database (logins, code requests, registrations by client address),
//! so that they hold across every server: one node per key, claimed and moved on in one
//! transaction; concurrent attempts on one key conflict and are decided one after the other.
use serde::Deserialize;

use super::{Graph, GraphResult};
use crate::cypher;
use crate::domain::throttle::{Backoff, Failures, Rate};

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

/// Lets a login attempt go ahead if the door of `backoff_key` is open under `backoff` and
/// `rate_key` is within `rate`, and counts it as a failure of both at once, in one transaction
/// (so that attempts sent side by side are counted one after the other). An attempt that then
/// succeeds is given back with [`succeeded`]: in the end only failures count.
pub async fn attempt(graph: &Graph, backoff_key: &str, backoff: Backoff, rate_key: &str, rate: Rate, now_ms: i64) -> GraphResult<bool> {
    let (backoff_key, rate_key) = (backoff_key.to_string(), rate_key.to_string());
    graph
        .transaction(move |txn| {
            let (backoff_key, rate_key) = (backoff_key.clone(), rate_key.clone());
            Box::pin(async move {
                #[derive(Deserialize)]
                struct Claimed {
                    fails: Option<u32>,
                    last_ms: Option<i64>,
                }
                let claimed: Option<Claimed> =
                    txn.row(cypher!("throttles/claim_failures").param("key", backoff_key.as_str()).param("now_ms", now_ms)).await?;
                let before = claimed.and_then(|c| Some(Failures { count: c.fails?, last_ms: c.last_ms? }));
                #[derive(Deserialize)]
                struct Tat {
                    tat_ms: i64,
                }
                let tat: Option<Tat> = txn.row(cypher!("throttles/claim").param("key", rate_key.as_str()).param("now_ms", now_ms)).await?;
                let next = rate.admit(tat.map_or(0, |t| t.tat_ms), now_ms);
                let (Some(next), None) = (next, backoff.closed_until(before, now_ms)) else { return Ok(false) };
                let after = backoff.after_failure(before, now_ms);
                txn.run(
                    cypher!("throttles/record_failures")
                        .param("key", backoff_key.as_str())
                        .param("fails", i64::from(after.count))
                        .param("last_ms", after.last_ms)
                        .param("forget_ms", backoff.forgotten_at(after)),
                )
                .await?;
                txn.run(cypher!("throttles/advance").param("key", rate_key.as_str()).param("tat_ms", next)).await?;
                Ok(true)
            })
        })
        .await
}

/// An attempt let through by [`attempt`] succeeded: forgets the failures of `backoff_key` and
/// gives the attempt back to `rate_key`.
pub async fn succeeded(graph: &Graph, backoff_key: &str, rate_key: &str, rate: Rate) -> GraphResult<()> {
    let (backoff_key, rate_key) = (backoff_key.to_string(), rate_key.to_string());
    let every_ms = rate.every_ms();
    graph
        .transaction(move |txn| {
            let (backoff_key, rate_key) = (backoff_key.clone(), rate_key.clone());
            Box::pin(async move {
                txn.run(cypher!("throttles/clear").param("key", backoff_key.as_str())).await?;
                txn.run(cypher!("throttles/refund").param("key", rate_key.as_str()).param("every_ms", every_ms)).await
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
