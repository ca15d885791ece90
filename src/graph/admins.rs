//! Admin accounts (created from the command line), with their roles.
use serde::Deserialize;

use super::{Graph, GraphError, GraphResult, Txn};
use crate::cypher;
use crate::domain::role::Role;

/// What [`upsert_in`] did.
#[derive(Debug, Deserialize)]
pub struct Upserted {
    /// The admin is new.
    pub created: bool,
    /// Its role before (None when new, or made before roles).
    pub previous_role: Option<String>,
    /// Its role now.
    pub role: String,
    /// It was disabled, and is enabled again.
    pub was_disabled: bool,
    pub sessions_ended: i64,
}

/// Creates the admin, or sets a new password for an existing one (and its role, when `role` is
/// given; a new admin without one is an owner), enables it and ends every session it has.
pub async fn upsert_in(txn: &mut Txn, username: &str, password_hash: &str, role: Option<Role>, now_ms: i64) -> GraphResult<Upserted> {
    let row: Option<Upserted> = txn
        .row(
            cypher!("admins/upsert")
                .param("username", username)
                .param("password_hash", password_hash)
                .param("role", role.map(Role::as_str))
                .param("now_ms", now_ms),
        )
        .await?;
    row.ok_or_else(|| GraphError::Corrupt("admin upsert returned nothing".into()))
}

/// What [`disable_in`] did.
#[derive(Debug, Deserialize)]
pub struct Disabled {
    pub was_disabled: bool,
    pub sessions_ended: i64,
}

/// Disables the admin and ends every session it has; None when there is no such admin.
pub async fn disable_in(txn: &mut Txn, username: &str, now_ms: i64) -> GraphResult<Option<Disabled>> {
    txn.row(cypher!("admins/disable").param("username", username).param("now_ms", now_ms)).await
}

#[derive(Debug, Deserialize)]
pub struct AdminRow {
    pub username: String,
    pub password_hash: String,
    /// As stored; see [`Role::stored`].
    pub role: Option<String>,
    /// When it was disabled; None while it may log in.
    pub disabled_at_ms: Option<i64>,
}

impl AdminRow {
    /// The role this admin acts with now: None when it is disabled or its stored role is not one
    /// this version knows (either way it may do nothing and cannot log in).
    pub fn active_role(&self) -> Option<Role> {
        match self.disabled_at_ms {
            Some(_) => None,
            None => Role::stored(self.role.as_deref()),
        }
    }
}

pub async fn by_username(graph: &Graph, username: &str) -> GraphResult<Option<AdminRow>> {
    graph.row(cypher!("admins/by_username").param("username", username)).await
}
