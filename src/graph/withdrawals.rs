//! Withdrawals of available points: requested (available → frozen), approved, then paid (frozen
//! leaves the system), or rejected (frozen → available). Each step is one ledger transaction with
//! its movement and, for a person's decision, an audit entry.
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{Graph, GraphError, GraphResult, Txn, audit, ledger};
use crate::cypher;

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct WithdrawalRow {
    pub id: String,
    pub phone: String,
    pub amount_fen: i64,
    pub fee_fen: i64,
    pub status: String,
    pub request_hash: String,
    pub created_at_ms: i64,
    pub decided_at_ms: Option<i64>,
    pub decided_by: Option<String>,
    pub paid_at_ms: Option<i64>,
}

#[derive(Clone)]
pub struct NewWithdrawal {
    pub phone: String,
    pub amount_fen: i64,
    pub fee_fen: i64,
    pub idempotency_key: String,
}

impl NewWithdrawal {
    /// Fingerprint of what was asked, to tell a replay from another request under the same key.
    fn request_hash(&self) -> String {
        hex::encode(Sha256::digest(format!("{}\n{}", self.phone, self.amount_fen).as_bytes()))
    }
}

/// What a request did: created the withdrawal, or found it created by the same request before.
pub enum Requested {
    Created(WithdrawalRow),
    Replayed(WithdrawalRow),
}

/// The transitions a person or an API client can ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject,
    MarkPaid,
}

impl Decision {
    /// (from, to, the movement it makes, the audit action).
    fn transition(self) -> (&'static [&'static str], &'static str, Option<ledger::Kind>, &'static str) {
        match self {
            Decision::Approve => (&["requested"], "approved", None, "withdrawal.approve"),
            Decision::Reject => (&["requested", "approved"], "rejected", Some(ledger::Kind::WithdrawalRejected), "withdrawal.reject"),
            Decision::MarkPaid => (&["approved"], "paid", Some(ledger::Kind::WithdrawalPaid), "withdrawal.paid"),
        }
    }
}

async fn get_in(txn: &mut Txn, id: &str) -> GraphResult<Option<WithdrawalRow>> {
    txn.row(cypher!("withdrawals/get").param("id", id)).await
}

pub async fn get(graph: &Graph, id: &str) -> GraphResult<Option<WithdrawalRow>> {
    graph.row(cypher!("withdrawals/get").param("id", id)).await
}

/// Requests a withdrawal: the amount moves from available to frozen. The same idempotency key
/// with the same request replays it; with another request it is refused.
pub async fn request(graph: &Graph, new: NewWithdrawal, now_ms: i64) -> GraphResult<Requested> {
    graph
        .write(move |txn| {
            let new = new.clone();
            Box::pin(async move {
                let hash = new.request_hash();
                if let Some(existing) =
                    txn.row::<WithdrawalRow>(cypher!("withdrawals/by_key").param("idempotency_key", new.idempotency_key.as_str())).await?
                {
                    return if existing.request_hash == hash { Ok(Requested::Replayed(existing)) } else { Err(GraphError::IdempotencyKeyConflict) };
                }
                let id = uuid::Uuid::new_v4().to_string();
                #[derive(Deserialize)]
                struct Created {}
                let created: Option<Created> = txn
                    .row(
                        cypher!("withdrawals/create")
                            .param("id", id.as_str())
                            .param("phone", new.phone.as_str())
                            .param("amount_fen", new.amount_fen)
                            .param("fee_fen", new.fee_fen)
                            .param("idempotency_key", new.idempotency_key.as_str())
                            .param("request_hash", hash)
                            .param("now_ms", now_ms),
                    )
                    // A key another transaction took first violates its constraint: `Graph::write`
                    // runs this again, and the read above then replays or refuses.
                    .await?;
                if created.is_none() {
                    return Err(GraphError::MemberNotFound);
                }
                let movement = ledger::Movement {
                    kind: ledger::Kind::WithdrawalRequested,
                    available_fen: -new.amount_fen,
                    frozen_fen: new.amount_fen,
                    reference: id.clone(),
                    reason: None,
                    actor: None,
                };
                ledger::apply_in(txn, &new.phone, movement, now_ms).await?;
                let row = get_in(txn, &id).await?.ok_or_else(|| GraphError::Corrupt("withdrawal vanished".into()))?;
                Ok(Requested::Created(row))
            })
        })
        .await
}

/// Moves a withdrawal on; refused with `WithdrawalState` from a status the decision does not leave.
pub async fn decide(graph: &Graph, id: &str, decision: Decision, actor: &str, now_ms: i64) -> GraphResult<WithdrawalRow> {
    graph
        .write(move |txn| {
            let (id, actor) = (id.to_string(), actor.to_string());
            Box::pin(async move {
                let (id, actor) = (id.as_str(), actor.as_str());
                let current = get_in(txn, id).await?.ok_or(GraphError::WithdrawalNotFound)?;
                let (from, to, kind, action) = decision.transition();
                if !from.contains(&current.status.as_str()) {
                    return Err(GraphError::WithdrawalState { status: current.status, to });
                }
                #[derive(Deserialize)]
                struct Moved {}
                let moved: Option<Moved> = txn
                    .row(
                        cypher!("withdrawals/move")
                            .param("id", id)
                            .param("from", current.status.as_str())
                            .param("to", to)
                            .param("actor", actor)
                            .param("now_ms", now_ms),
                    )
                    .await?;
                if moved.is_none() {
                    // Another server moved it between the read and this write: answer what it is now.
                    let now = get_in(txn, id).await?.ok_or(GraphError::WithdrawalNotFound)?;
                    return Err(GraphError::WithdrawalState { status: now.status, to });
                }
                if let Some(kind) = kind {
                    let back_to_available = if kind == ledger::Kind::WithdrawalRejected { current.amount_fen } else { 0 };
                    let movement = ledger::Movement {
                        kind,
                        available_fen: back_to_available,
                        frozen_fen: -current.amount_fen,
                        reference: id.to_string(),
                        reason: None,
                        actor: Some(actor.to_string()),
                    };
                    ledger::apply_in(txn, &current.phone, movement, now_ms).await?;
                }
                audit::record_in(txn, actor, action, id, &format!("{} of {}", rust_decimal::Decimal::new(current.amount_fen, 2), current.phone), now_ms).await?;
                get_in(txn, id).await?.ok_or_else(|| GraphError::Corrupt("withdrawal vanished".into()))
            })
        })
        .await
}

/// A page of withdrawals, the latest first, of one status when given, after `(created_at_ms, id)`.
pub async fn list(graph: &Graph, status: Option<&str>, after: Option<(i64, String)>, limit: i64) -> GraphResult<Vec<WithdrawalRow>> {
    let (after_ms, after_id) = after.map_or((None, None), |(ms, id)| (Some(ms), Some(id)));
    graph
        .rows(
            cypher!("withdrawals/list")
                .param("status", status)
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
