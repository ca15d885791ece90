//! What an API key may do. A key reads only what its scopes name: `members:read` a member's
//! figures, downline and statements (income is personal: writing members does not read them),
//! `orders:write` the orders it records, `payouts:read` settlements, payouts and withdrawals.
use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    OrdersWrite,
    /// Read a member: figures, downline, statements.
    MembersRead,
    MembersWrite,
    SettlementsWrite,
    PayoutsRead,
    PayoutsWrite,
    /// Everything, including sponsor changes, adjustments and parameters.
    Admin,
}

#[derive(Debug, thiserror::Error)]
#[error("unknown scope {0:?}; scopes are {list}", list = Scope::ALL.map(|s| s.as_str()).join(", "))]
pub struct ScopeError(String);

impl Scope {
    pub const ALL: [Scope; 7] = [
        Scope::OrdersWrite,
        Scope::MembersRead,
        Scope::MembersWrite,
        Scope::SettlementsWrite,
        Scope::PayoutsRead,
        Scope::PayoutsWrite,
        Scope::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::OrdersWrite => "orders:write",
            Scope::MembersRead => "members:read",
            Scope::MembersWrite => "members:write",
            Scope::SettlementsWrite => "settlements:write",
            Scope::PayoutsRead => "payouts:read",
            Scope::PayoutsWrite => "payouts:write",
            Scope::Admin => "admin",
        }
    }
}

impl FromStr for Scope {
    type Err = ScopeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Scope::ALL.into_iter().find(|s| s.as_str() == text).ok_or_else(|| ScopeError(text.to_string()))
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
