//! A withdrawal's life: requested (available → frozen), then approved and paid (frozen leaves),
//! or rejected (frozen → available). The transitions are decided here, purely.
use std::fmt;

use crate::domain::audit::AuditAction;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WithdrawalStatus {
    Requested,
    Approved,
    Rejected,
    Paid,
}

impl WithdrawalStatus {
    pub const ALL: [WithdrawalStatus; 4] =
        [WithdrawalStatus::Requested, WithdrawalStatus::Approved, WithdrawalStatus::Rejected, WithdrawalStatus::Paid];

    pub fn as_str(self) -> &'static str {
        match self {
            WithdrawalStatus::Requested => "requested",
            WithdrawalStatus::Approved => "approved",
            WithdrawalStatus::Rejected => "rejected",
            WithdrawalStatus::Paid => "paid",
        }
    }

    pub fn parse(text: &str) -> Option<WithdrawalStatus> {
        WithdrawalStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

impl<'de> serde::Deserialize<'de> for WithdrawalStatus {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        WithdrawalStatus::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("unknown withdrawal status {text:?}")))
    }
}

impl fmt::Display for WithdrawalStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a person or an API client can decide about a withdrawal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject,
    MarkPaid,
}

/// Where the frozen amount of a withdrawal goes when it moves on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrozenGoes {
    /// It stays frozen (approved, not yet paid).
    Nowhere,
    /// Back to available (rejected).
    BackToAvailable,
    /// Out of the system (paid).
    Out,
}

/// A decision allowed from a status: the status it leads to, the money it moves, what the audit records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transition {
    pub from: WithdrawalStatus,
    pub to: WithdrawalStatus,
    pub frozen: FrozenGoes,
    pub action: AuditAction,
}

/// Refused: the decision does not leave the withdrawal's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the withdrawal is {from}; it cannot become {to}")]
pub struct NotAllowed {
    pub from: WithdrawalStatus,
    pub to: WithdrawalStatus,
}

impl Decision {
    /// The status the decision leads to.
    pub fn target(self) -> WithdrawalStatus {
        match self {
            Decision::Approve => WithdrawalStatus::Approved,
            Decision::Reject => WithdrawalStatus::Rejected,
            Decision::MarkPaid => WithdrawalStatus::Paid,
        }
    }

    /// Whether the decision is allowed from `from`, and what it does: approve a requested one,
    /// reject a requested or approved one, mark an approved one paid.
    pub fn from(self, from: WithdrawalStatus) -> Result<Transition, NotAllowed> {
        use WithdrawalStatus as S;
        let (frozen, action) = match (self, from) {
            (Decision::Approve, S::Requested) => (FrozenGoes::Nowhere, AuditAction::WithdrawalApprove),
            (Decision::Reject, S::Requested | S::Approved) => (FrozenGoes::BackToAvailable, AuditAction::WithdrawalReject),
            (Decision::MarkPaid, S::Approved) => (FrozenGoes::Out, AuditAction::WithdrawalPaid),
            _ => return Err(NotAllowed { from, to: self.target() }),
        };
        Ok(Transition { from, to: self.target(), frozen, action })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use WithdrawalStatus as S;

    #[test]
    fn each_decision_is_allowed_from_exactly_the_statuses_the_spec_names() {
        let allowed = |decision: Decision| S::ALL.into_iter().filter(|&s| decision.from(s).is_ok()).collect::<Vec<_>>();
        assert_eq!(allowed(Decision::Approve), vec![S::Requested]);
        assert_eq!(allowed(Decision::Reject), vec![S::Requested, S::Approved]);
        assert_eq!(allowed(Decision::MarkPaid), vec![S::Approved]);
    }

    #[test]
    fn a_finished_withdrawal_never_moves_again() {
        for decision in [Decision::Approve, Decision::Reject, Decision::MarkPaid] {
            for done in [S::Rejected, S::Paid] {
                assert_eq!(decision.from(done), Err(NotAllowed { from: done, to: decision.target() }));
            }
        }
    }

    #[test]
    fn a_rejection_returns_the_frozen_amount_and_a_payment_takes_it_out() {
        assert_eq!(Decision::Reject.from(S::Approved).unwrap().frozen, FrozenGoes::BackToAvailable);
        assert_eq!(Decision::MarkPaid.from(S::Approved).unwrap().frozen, FrozenGoes::Out);
        assert_eq!(Decision::Approve.from(S::Requested).unwrap().frozen, FrozenGoes::Nowhere);
    }

    #[test]
    fn statuses_read_back_from_what_is_stored() {
        for status in S::ALL {
            assert_eq!(S::parse(status.as_str()), Some(status));
        }
        assert_eq!(S::parse("lost"), None);
    }
}
