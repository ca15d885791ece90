//! Admin roles (权限, SPEC §5) and what each may do in the console, decided here once: the pages
//! ask [`Role::may`] before they show a form or a section and again before they act on a post.
//!
//! | role       | may, beyond reading every read-only page                                           |
//! |------------|------------------------------------------------------------------------------------|
//! | `owner`    | everything, including parameter versions, API keys and admins                      |
//! | `finance`  | run and preview settlements; approve, reject and mark paid withdrawals; export payouts |
//! | `operator` | adjust points, change sponsors (members and their orders); read the SMS outbox     |
//! | `auditor`  | nothing that changes anything; exports payouts (an export reads)                   |
//!
//! The SMS outbox is not a read-only page: it shows live login and reset codes, so reading it is
//! acting for a member; only the operator (who looks after members) and the owner see it.
use std::fmt;
use std::str::FromStr;

/// What an admin account may do, stored on its `Admin` node as [`Role::as_str`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Everything: manages admins and API keys, adds parameter versions.
    Owner,
    /// Settlements, withdrawals and payout exports.
    Finance,
    /// Members: points adjustments, sponsor changes, the SMS outbox.
    Operator,
    /// Reads everything, changes nothing.
    Auditor,
}

/// Something done in the console that not every role may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Permission {
    /// The read-only pages: dashboard, members and their statements, tree, settlement history
    /// and payout tables, parameters, the withdrawals queue, the audit log.
    Read,
    /// Run a settlement or preview the next day.
    Settle,
    /// Approve, reject or mark paid a withdrawal.
    DecideWithdrawals,
    /// Download a settled day's payouts as CSV.
    ExportPayouts,
    /// Add or remove a member's available points.
    AdjustPoints,
    /// Move a member under another sponsor.
    ChangeSponsor,
    /// Read the development SMS sender's outbox (live codes).
    ReadOutbox,
    /// Add a parameter version.
    EditParams,
    /// See, create and revoke API keys.
    ManageApiKeys,
    /// Add, change and disable admins.
    ManageAdmins,
}

#[derive(Debug, thiserror::Error)]
#[error("unknown role {0:?}; roles are {list}", list = Role::ALL.map(|r| r.as_str()).join(", "))]
pub struct RoleError(String);

impl Role {
    pub const ALL: [Role; 4] = [Role::Owner, Role::Finance, Role::Operator, Role::Auditor];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Finance => "finance",
            Role::Operator => "operator",
            Role::Auditor => "auditor",
        }
    }

    /// The role an `Admin` node's `role` property names. Admins created before roles existed have
    /// none: they had every power, so they are owners. A role this version does not know names
    /// none (`None`), and such an admin may do nothing at all.
    pub fn stored(property: Option<&str>) -> Option<Role> {
        match property {
            None => Some(Role::Owner),
            Some(text) => text.parse().ok(),
        }
    }

    /// Whether this role may do `permission`.
    pub fn may(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Owner => true,
            Role::Finance => matches!(permission, Read | Settle | DecideWithdrawals | ExportPayouts),
            Role::Operator => matches!(permission, Read | AdjustPoints | ChangeSponsor | ReadOutbox),
            Role::Auditor => matches!(permission, Read | ExportPayouts),
        }
    }
}

impl FromStr for Role {
    type Err = RoleError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Role::ALL.into_iter().find(|r| r.as_str() == text).ok_or_else(|| RoleError(text.to_string()))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Permission::*;
    use super::*;

    const EVERY_PERMISSION: [Permission; 10] =
        [Read, Settle, DecideWithdrawals, ExportPayouts, AdjustPoints, ChangeSponsor, ReadOutbox, EditParams, ManageApiKeys, ManageAdmins];

    fn allowed(role: Role) -> Vec<Permission> {
        EVERY_PERMISSION.into_iter().filter(|p| role.may(*p)).collect()
    }

    #[test]
    fn every_role_reads_back_from_what_is_stored_and_an_unknown_one_is_refused() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
            assert_eq!(Role::stored(Some(role.as_str())), Some(role));
        }
        let error = "root".parse::<Role>().unwrap_err().to_string();
        assert!(error.contains("owner, finance, operator, auditor"), "{error}");
        assert!("Owner".parse::<Role>().is_err(), "roles are lowercase, as stored");
    }

    #[test]
    fn an_admin_without_a_role_is_an_owner_and_one_with_an_unknown_role_has_none() {
        assert_eq!(Role::stored(None), Some(Role::Owner));
        assert_eq!(Role::stored(Some("superuser")), None);
        assert_eq!(Role::stored(Some("")), None);
    }

    #[test]
    fn the_owner_may_do_everything() {
        assert_eq!(allowed(Role::Owner), EVERY_PERMISSION);
    }

    #[test]
    fn finance_settles_decides_withdrawals_and_exports_payouts_and_nothing_about_members() {
        assert_eq!(allowed(Role::Finance), [Read, Settle, DecideWithdrawals, ExportPayouts]);
    }

    #[test]
    fn the_operator_looks_after_members_and_never_moves_money_out() {
        assert_eq!(allowed(Role::Operator), [Read, AdjustPoints, ChangeSponsor, ReadOutbox]);
    }

    #[test]
    fn the_auditor_reads_and_exports_and_changes_nothing() {
        assert_eq!(allowed(Role::Auditor), [Read, ExportPayouts]);
    }

    #[test]
    fn only_the_owner_edits_parameters_and_manages_keys_and_admins() {
        for permission in [EditParams, ManageApiKeys, ManageAdmins] {
            let roles: Vec<Role> = Role::ALL.into_iter().filter(|r| r.may(permission)).collect();
            assert_eq!(roles, [Role::Owner], "{permission:?}");
        }
    }

    #[test]
    fn no_role_but_the_owner_both_changes_balances_and_pays_out() {
        for role in Role::ALL.into_iter().filter(|r| *r != Role::Owner) {
            assert!(!(role.may(AdjustPoints) && role.may(DecideWithdrawals)), "{role} both credits points and pays them out");
        }
    }
}
