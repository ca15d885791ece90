//! The ledger of available and frozen points: every change of a balance is a movement node, and
//! the balances on the member are the running sums of its movements.
use serde::Deserialize;

use super::{GraphError, GraphResult, LedgerTxn};
use crate::cypher;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Points spent on an order (`points_paid`).
    OrderPayment,
    /// Points of a refunded order's `points_paid` coming back.
    OrderRefund,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::OrderPayment => "order_payment",
            Kind::OrderRefund => "order_refund",
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

/// Applies a movement; refused with `InsufficientPoints` if a balance would go negative.
pub async fn apply_in(txn: &mut LedgerTxn, phone: &str, movement: Movement, now_ms: i64) -> GraphResult<()> {
    #[derive(Deserialize)]
    struct Balances {}
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
                .param("now_ms", now_ms),
        )
        .await?;
    applied.map(|_| ()).ok_or(GraphError::InsufficientPoints)
}
