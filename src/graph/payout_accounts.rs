//! Members' payout accounts as stored: sealed (`app::payout_accounts` seals and opens them) and
//! masked for showing.
use serde::Deserialize;

use super::{Graph, GraphResult, Txn};
use crate::cypher;
use crate::domain::phone::Phone;

/// A member's payout account as stored: both parts, or neither when none was set.
#[derive(Debug, Deserialize)]
pub struct StoredAccount {
    phone: String,
    pub sealed: Option<String>,
    pub masked: Option<String>,
}

/// Sets a member's payout account; `false` when no such member.
pub async fn set_in(txn: &mut Txn, phone: &Phone, sealed: &str, masked: &str) -> GraphResult<bool> {
    #[derive(Deserialize)]
    struct Set {}
    let set: Option<Set> =
        txn.row(cypher!("payout_accounts/set").param("phone", phone.as_str()).param("sealed", sealed).param("masked", masked)).await?;
    Ok(set.is_some())
}

/// A member's payout account; `None` when no such member.
pub async fn of_member(graph: &Graph, phone: &Phone) -> GraphResult<Option<StoredAccount>> {
    let row: Option<StoredAccount> = graph.row(cypher!("payout_accounts/of_member").param("phone", phone.as_str())).await?;
    // Defence in depth: another member's account must never be shown as this one's.
    Ok(row.filter(|row| row.phone == phone.as_str()))
}
