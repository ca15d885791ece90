//! The ledger of available and frozen points: every change of a balance is a movement node, and
//! the balances on the member are the running sums of its movements.
use serde::Deserialize;

use super::{Graph, GraphError, GraphResult, Txn};
use sha2::{Digest, Sha256};

use crate::cypher;
use crate::domain::money::Money;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Points spent on an order (`points_paid`).
    OrderPayment,
    /// Points of a refunded order's `points_paid` coming back.
    OrderRefund,
    /// An admin's addition or removal, with a reason.
    Adjustment,
    /// A withdrawal requested: available to frozen.
    WithdrawalRequested,
    /// A withdrawal rejected: frozen back to available.
    WithdrawalRejected,
    /// A withdrawal paid: frozen leaves the system.
    WithdrawalPaid,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::OrderPayment => "order_payment",
            Kind::OrderRefund => "order_refund",
            Kind::Adjustment => "adjustment",
            Kind::WithdrawalRequested => "withdrawal_requested",
            Kind::WithdrawalRejected => "withdrawal_rejected",
            Kind::WithdrawalPaid => "withdrawal_paid",
        }
    }
}

pub struct Movement {
    pub kind: Kind,
    pub available_fen: i64,
    pub frozen_fen: i64,
    /// What caused it: an order id, a withdrawal id.
    pub reference: String,
    pub reason: Option<String>,
    pub actor: Option<String>,
}

/// Applies a movement; refused with `InsufficientPoints` if a balance would go negative, with
/// `BalanceTooLarge` if one would go above the largest amount. Returns the new available balance
/// in fen.
pub async fn apply_in(txn: &mut Txn, phone: &str, movement: Movement, now_ms: i64) -> GraphResult<i64> {
    #[derive(Deserialize)]
    struct Balances {
        available_fen: i64,
    }
    let (movement_available, movement_frozen) = (movement.available_fen, movement.frozen_fen);
    let applied: Option<Balances> = txn
        .row(
            cypher!("ledger/move")
                .param("phone", phone)
                .param("id", uuid::Uuid::new_v4().to_string())
                .param("kind", movement.kind.as_str())
                .param("available_fen", movement.available_fen)
                .param("frozen_fen", movement.frozen_fen)
                .param("reference", movement.reference)
                .param("reason", movement.reason)
                .param("actor", movement.actor)
                .param("max_fen", Money::MAX.fen())
                .param("now_ms", now_ms),
        )
        .await?;
    if let Some(applied) = applied {
        return Ok(applied.available_fen);
    }
    #[derive(Deserialize)]
    struct Current {
        available_fen: i64,
        frozen_fen: i64,
    }
    let current: Option<Current> = txn.row(cypher!("ledger/balances").param("phone", phone)).await?;
    let over = current.is_some_and(|c| {
        c.available_fen.saturating_add(movement_available) > Money::MAX.fen() || c.frozen_fen.saturating_add(movement_frozen) > Money::MAX.fen()
    });
    Err(if over { GraphError::BalanceTooLarge } else { GraphError::InsufficientPoints })
}

/// What an adjustment did: moved points, or found the same request under its key already done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Adjusted {
    /// The new available balance in fen.
    Applied(i64),
    /// The available balance the first request left, in fen.
    Replayed(i64),
}

/// Adds (or, negative, removes) available points of a member, recording who and why in the
/// movement and the audit log; refused when available would go negative. With an idempotency
/// key (unique per member), the same request again replays the first answer and moves nothing;
/// another request under the key is refused.
pub async fn adjust(
    graph: &Graph,
    phone: &str,
    available_fen: i64,
    reason: &str,
    actor: &str,
    idempotency_key: Option<&str>,
    now_ms: i64,
) -> GraphResult<Adjusted> {
    let key = idempotency_key.map(|key| format!("{phone}|{key}"));
    let request_hash = hex::encode(Sha256::digest(format!("{phone}\n{available_fen}\n{reason}").as_bytes()));
    graph
        .write(move |txn| {
            let (phone, reason, actor, key, request_hash) =
                (phone.to_string(), reason.to_string(), actor.to_string(), key.clone(), request_hash.clone());
            Box::pin(async move {
                let (phone, reason, actor) = (phone.as_str(), reason.as_str(), actor.as_str());
                #[derive(Deserialize)]
                struct Recorded {
                    request_hash: String,
                    available_fen: i64,
                }
                if let Some(key) = key.as_deref()
                    && let Some(first) = txn.row::<Recorded>(cypher!("ledger/adjustment_by_key").param("key", key)).await?
                {
                    return if first.request_hash == request_hash {
                        Ok(Adjusted::Replayed(first.available_fen))
                    } else {
                        Err(GraphError::IdempotencyKeyConflict)
                    };
                }
                #[derive(Deserialize)]
                struct Exists {}
                if txn.row::<Exists>(cypher!("members/exists").param("phone", phone)).await?.is_none() {
                    return Err(GraphError::MemberNotFound);
                }
                let detail = format!("{}{}: {reason}", if available_fen > 0 { "+" } else { "" }, rust_decimal::Decimal::new(available_fen, 2));
                super::audit::record_in(txn, actor, "member.adjust", phone, &detail, now_ms).await?;
                let movement = Movement {
                    kind: Kind::Adjustment,
                    available_fen,
                    frozen_fen: 0,
                    reference: String::new(),
                    reason: Some(reason.to_string()),
                    actor: Some(actor.to_string()),
                };
                let available = apply_in(txn, phone, movement, now_ms).await?;
                if let Some(key) = key.as_deref() {
                    // A key another transaction took first violates its constraint: `Graph::write`
                    // runs this again, and the read above then replays or refuses.
                    txn.run(
                        cypher!("ledger/record_adjustment_key")
                            .param("key", key)
                            .param("request_hash", request_hash.as_str())
                            .param("available_fen", available)
                            .param("now_ms", now_ms),
                    )
                    .await?;
                }
                Ok(Adjusted::Applied(available))
            })
        })
        .await
}
