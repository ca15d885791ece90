//! The ledger of available and frozen points: every change of a balance is a movement node, and
//! the balances on the member are the running sums of its movements.
use serde::Deserialize;

use super::{Graph, GraphResult, Txn};
use crate::cypher;
use crate::domain::ledger::Movement;
use crate::domain::money::Money;

/// Why a movement was not applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shortfall {
    /// A balance would go negative.
    Insufficient,
    /// A balance would go above the largest amount.
    OverMaximum,
}

/// Applies a movement and answers the new available balance in fen, or, changing nothing, why
/// it cannot be applied.
pub async fn apply_in(txn: &mut Txn, phone: &str, movement: &Movement, now_ms: i64) -> GraphResult<Result<i64, Shortfall>> {
    #[derive(Deserialize)]
    struct Balances {
        available_fen: i64,
    }
    let applied: Option<Balances> = txn
        .row(
            cypher!("ledger/move")
                .param("phone", phone)
                .param("id", uuid::Uuid::new_v4().to_string())
                .param("kind", movement.kind().as_str())
                .param("available_fen", movement.available_fen())
                .param("frozen_fen", movement.frozen_fen())
                .param("reference", movement.reference())
                .param("reason", movement.reason())
                .param("actor", movement.actor().map(ToString::to_string))
                .param("max_fen", Money::MAX.fen())
                .param("now_ms", now_ms),
        )
        .await?;
    if let Some(applied) = applied {
        return Ok(Ok(applied.available_fen));
    }
    #[derive(Deserialize)]
    struct Current {
        available_fen: i64,
        frozen_fen: i64,
    }
    let current: Option<Current> = txn.row(cypher!("ledger/balances").param("phone", phone)).await?;
    let over = current.is_some_and(|c| {
        c.available_fen.saturating_add(movement.available_fen()) > Money::MAX.fen()
            || c.frozen_fen.saturating_add(movement.frozen_fen()) > Money::MAX.fen()
    });
    Ok(Err(if over { Shortfall::OverMaximum } else { Shortfall::Insufficient }))
}

/// An adjustment recorded under an idempotency key: the fingerprint of its request and the
/// available balance it left.
#[derive(Deserialize)]
pub struct KeyedAdjustment {
    pub request_hash: String,
    pub available_fen: i64,
}

pub async fn adjustment_by_key_in(txn: &mut Txn, key: &str) -> GraphResult<Option<KeyedAdjustment>> {
    txn.row(cypher!("ledger/adjustment_by_key").param("key", key)).await
}

/// Records the key of an adjustment. A key another transaction took first violates its
/// constraint (a transient failure: the transaction runs again and finds it).
pub async fn record_adjustment_key_in(txn: &mut Txn, key: &str, recorded: &KeyedAdjustment, now_ms: i64) -> GraphResult<()> {
    txn.run(
        cypher!("ledger/record_adjustment_key")
            .param("key", key)
            .param("request_hash", recorded.request_hash.as_str())
            .param("available_fen", recorded.available_fen)
            .param("now_ms", now_ms),
    )
    .await
}

/// A movement as stored.
#[derive(Clone, Debug, Deserialize)]
pub struct MovementRow {
    pub id: String,
    /// As [`crate::domain::ledger::MovementKind::as_str`] writes it.
    pub kind: String,
    pub available_fen: i64,
    pub frozen_fen: i64,
    pub at_ms: i64,
    /// The order or withdrawal it is of; empty for an adjustment.
    pub reference: String,
    /// An adjustment's reason.
    pub reason: Option<String>,
}

/// A page of `phone`'s movements before the position `(at_ms, id)` (the latest first; from the
/// latest when `before` is None).
pub async fn movements_of(graph: &Graph, phone: &str, before: Option<(i64, &str)>, limit: i64) -> GraphResult<Vec<MovementRow>> {
    let (before_ms, before_id) = before.unwrap_or((i64::MAX, ""));
    graph
        .rows(
            cypher!("ledger/movements_of")
                .param("phone", phone)
                .param("before_ms", before_ms)
                .param("before_id", before_id)
                .param("limit", limit),
        )
        .await
}
