//! Movements of available and frozen points. Each kind has its constructor, which fixes the signs:
//! a payment with points can only take available points, a withdrawal request only moves
//! available to frozen, and so on.
use crate::domain::audit::Actor;
use crate::domain::money::{Money, SignedMoney};
use crate::domain::withdrawal::FrozenGoes;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MovementKind {
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

impl MovementKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MovementKind::OrderPayment => "order_payment",
            MovementKind::OrderRefund => "order_refund",
            MovementKind::Adjustment => "adjustment",
            MovementKind::WithdrawalRequested => "withdrawal_requested",
            MovementKind::WithdrawalRejected => "withdrawal_rejected",
            MovementKind::WithdrawalPaid => "withdrawal_paid",
        }
    }
}

/// One change of a member's balances, in fen, with what caused it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Movement {
    kind: MovementKind,
    available_fen: i64,
    frozen_fen: i64,
    reference: String,
    reason: Option<String>,
    actor: Option<Actor>,
}

impl Movement {
    fn new(kind: MovementKind, available_fen: i64, frozen_fen: i64, reference: &str) -> Movement {
        Movement { kind, available_fen, frozen_fen, reference: reference.to_string(), reason: None, actor: None }
    }

    /// Available points spent on an order.
    pub fn order_payment(order_id: &str, points: Money) -> Movement {
        Movement::new(MovementKind::OrderPayment, -points.fen(), 0, order_id)
    }

    /// A refunded order's points paid coming back to available.
    pub fn order_refund(order_id: &str, points: Money) -> Movement {
        Movement::new(MovementKind::OrderRefund, points.fen(), 0, order_id)
    }

    /// An operator adds (positive) or removes (negative) available points, saying why.
    pub fn adjustment(amount: SignedMoney, reason: &str, actor: &Actor) -> Movement {
        Movement {
            reason: Some(reason.to_string()),
            actor: Some(actor.clone()),
            ..Movement::new(MovementKind::Adjustment, amount.fen(), 0, "")
        }
    }

    /// A withdrawal requested: the amount moves from available to frozen.
    pub fn withdrawal_requested(withdrawal_id: &str, amount: Money) -> Movement {
        Movement::new(MovementKind::WithdrawalRequested, -amount.fen(), amount.fen(), withdrawal_id)
    }

    /// A withdrawal decided: its frozen amount goes back to available (rejected) or out (paid);
    /// `None` when the decision moves no money (approved).
    pub fn withdrawal_decided(withdrawal_id: &str, amount: Money, frozen: FrozenGoes, actor: &Actor) -> Option<Movement> {
        let movement = match frozen {
            FrozenGoes::Nowhere => return None,
            FrozenGoes::BackToAvailable => Movement::new(MovementKind::WithdrawalRejected, amount.fen(), -amount.fen(), withdrawal_id),
            FrozenGoes::Out => Movement::new(MovementKind::WithdrawalPaid, 0, -amount.fen(), withdrawal_id),
        };
        Some(Movement { actor: Some(actor.clone()), ..movement })
    }

    pub fn kind(&self) -> MovementKind {
        self.kind
    }

    pub fn available_fen(&self) -> i64 {
        self.available_fen
    }

    pub fn frozen_fen(&self) -> i64 {
        self.frozen_fen
    }

    pub fn reference(&self) -> &str {
        &self.reference
    }

    pub fn reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }

    pub fn actor(&self) -> Option<&Actor> {
        self.actor.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(text: &str) -> Money {
        Money::parse(text).unwrap()
    }

    #[test]
    fn each_kind_moves_points_in_its_own_direction() {
        let actor = Actor::Admin("ops".into());
        let paid = Movement::order_payment("A1", money("30.00"));
        assert_eq!((paid.available_fen(), paid.frozen_fen()), (-3000, 0));
        let back = Movement::order_refund("A1", money("30.00"));
        assert_eq!((back.available_fen(), back.frozen_fen()), (3000, 0));
        let asked = Movement::withdrawal_requested("w1", money("100.00"));
        assert_eq!((asked.available_fen(), asked.frozen_fen()), (-10000, 10000));
        let rejected = Movement::withdrawal_decided("w1", money("100.00"), FrozenGoes::BackToAvailable, &actor).unwrap();
        assert_eq!((rejected.kind(), rejected.available_fen(), rejected.frozen_fen()), (MovementKind::WithdrawalRejected, 10000, -10000));
        let paid_out = Movement::withdrawal_decided("w1", money("100.00"), FrozenGoes::Out, &actor).unwrap();
        assert_eq!((paid_out.kind(), paid_out.available_fen(), paid_out.frozen_fen()), (MovementKind::WithdrawalPaid, 0, -10000));
        assert_eq!(Movement::withdrawal_decided("w1", money("100.00"), FrozenGoes::Nowhere, &actor), None);
    }

    #[test]
    fn an_adjustment_keeps_its_sign_reason_and_actor() {
        let actor = Actor::Admin("ops".into());
        let removal = Movement::adjustment(SignedMoney::parse("-50.00").unwrap(), "typo", &actor);
        assert_eq!((removal.available_fen(), removal.frozen_fen(), removal.reason()), (-5000, 0, Some("typo")));
        assert_eq!(removal.actor(), Some(&actor));
    }
}
