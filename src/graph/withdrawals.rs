//! Withdrawals as stored: reads, and the building blocks of requests and decisions
//! (`app::withdrawals` runs each with its ledger movement and audit entry in one transaction).
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{Graph, GraphResult, Txn};
use crate::cypher;
use crate::domain::withdrawal::WithdrawalStatus;

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct WithdrawalRow {
    pub id: String,
    pub phone: String,
    pub amount_fen: i64,
    pub fee_fen: i64,
    pub status: WithdrawalStatus,
    pub request_hash: String,
    pub created_at_ms: i64,
    pub decided_at_ms: Option<i64>,
    pub decided_by: Option<String>,
    pub paid_at_ms: Option<i64>,
    /// The payout account it goes to, as it was when it was asked for (`None` for one the mall
    /// asked for without an account: the mall pays it through its own channel).
    pub account_masked: Option<String>,
    pub account_sealed: Option<String>,
    pub reject_reason: Option<String>,
}

#[derive(Clone)]
pub struct NewWithdrawal {
    pub phone: String,
    pub amount_fen: i64,
    pub fee_fen: i64,
    /// The member's idempotency key, as stored: `PHONE|KEY` (each member's keys are their own).
    pub idempotency_key: String,
}

impl NewWithdrawal {
    /// Fingerprint of what was asked, to tell a replay from another request under the same key.
    pub fn request_hash(&self) -> String {
        hex::encode(Sha256::digest(format!("{}\n{}", self.phone, self.amount_fen).as_bytes()))
    }
}

pub async fn get_in(txn: &mut Txn, id: &str) -> GraphResult<Option<WithdrawalRow>> {
    txn.row(cypher!("withdrawals/get").param("id", id)).await
}

pub async fn get(graph: &Graph, id: &str) -> GraphResult<Option<WithdrawalRow>> {
    graph.row(cypher!("withdrawals/get").param("id", id)).await
}

/// The withdrawal requested under an idempotency key, if any.
pub async fn by_key_in(txn: &mut Txn, new: &NewWithdrawal, legacy_key: &str) -> GraphResult<Option<WithdrawalRow>> {
    txn.row(
        cypher!("withdrawals/by_key")
            .param("phone", new.phone.as_str())
            .param("member_key", new.idempotency_key.as_str())
            .param("legacy_key", legacy_key),
    )
    .await
}

/// Creates a requested withdrawal; `false` when its member does not exist. A key another
/// transaction took first violates its constraint (a transient failure: the transaction runs
/// again and finds it).
pub async fn create_in(txn: &mut Txn, id: &str, new: &NewWithdrawal, now_ms: i64) -> GraphResult<bool> {
    #[derive(Deserialize)]
    struct Created {}
    let created: Option<Created> = txn
        .row(
            cypher!("withdrawals/create")
                .param("id", id)
                .param("phone", new.phone.as_str())
                .param("amount_fen", new.amount_fen)
                .param("fee_fen", new.fee_fen)
                .param("idempotency_key", new.idempotency_key.as_str())
                .param("request_hash", new.request_hash())
                .param("now_ms", now_ms),
        )
        .await?;
    Ok(created.is_some())
}

/// A move of a withdrawal from one status to the next, by an actor (a rejection with its reason).
pub struct Move<'a> {
    pub from: WithdrawalStatus,
    pub to: WithdrawalStatus,
    pub actor: &'a str,
    pub reason: Option<&'a str>,
}

/// Moves a withdrawal; `false` when it is no longer in `from` (another server moved it since it
/// was read).
pub async fn move_in(txn: &mut Txn, id: &str, step: &Move<'_>, now_ms: i64) -> GraphResult<bool> {
    #[derive(Deserialize)]
    struct Moved {}
    let moved: Option<Moved> = txn
        .row(
            cypher!("withdrawals/move")
                .param("id", id)
                .param("from", step.from.as_str())
                .param("to", step.to.as_str())
                .param("actor", step.actor)
                .param("reason", step.reason)
                .param("now_ms", now_ms),
        )
        .await?;
    Ok(moved.is_some())
}

/// A page of withdrawals, the latest first, of one status when given, after `(created_at_ms, id)`.
pub async fn list(
    graph: &Graph,
    status: Option<WithdrawalStatus>,
    after: Option<(i64, String)>,
    limit: i64,
) -> GraphResult<Vec<WithdrawalRow>> {
    let (after_ms, after_id) = after.map_or((None, None), |(ms, id)| (Some(ms), Some(id)));
    graph
        .rows(
            cypher!("withdrawals/list")
                .param("status", status.map(WithdrawalStatus::as_str))
                .param("after_ms", after_ms)
                .param("after_id", after_id)
                .param("limit", limit),
        )
        .await
}

/// A page of one member's withdrawals, the latest first, after `(created_at_ms, id)`.
pub async fn of_member(graph: &Graph, phone: &str, after: Option<(i64, String)>, limit: i64) -> GraphResult<Vec<WithdrawalRow>> {
    let (after_ms, after_id) = after.map_or((None, None), |(ms, id)| (Some(ms), Some(id)));
    graph
        .rows(
            cypher!("withdrawals/of_member")
                .param("phone", phone)
                .param("after_ms", after_ms)
                .param("after_id", after_id)
                .param("limit", limit),
        )
        .await
}
