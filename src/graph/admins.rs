//! Admin accounts (created from the command line).
use serde::Deserialize;

use super::{Graph, GraphError, GraphResult, Txn};
use crate::cypher;

/// Creates the admin, or sets a new password for an existing one; true when it was created.
pub async fn upsert_in(txn: &mut Txn, username: &str, password_hash: &str, now_ms: i64) -> GraphResult<bool> {
    #[derive(Deserialize)]
    struct Upserted {
        created: bool,
    }
    let row: Option<Upserted> =
        txn.row(cypher!("admins/upsert").param("username", username).param("password_hash", password_hash).param("now_ms", now_ms)).await?;
    row.map(|r| r.created).ok_or_else(|| GraphError::Corrupt("admin upsert returned nothing".into()))
}

#[derive(Debug, Deserialize)]
pub struct AdminRow {
    pub username: String,
    pub password_hash: String,
}

pub async fn by_username(graph: &Graph, username: &str) -> GraphResult<Option<AdminRow>> {
    graph.row(cypher!("admins/by_username").param("username", username)).await
}
