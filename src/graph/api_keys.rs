//! API keys, stored by the SHA-256 of their secret (the secret has 256 random bits, so a fast
//! hash is enough; it is shown once and never stored).
use serde::Deserialize;

use super::{Graph, GraphResult, Txn};
use crate::cypher;

#[derive(Debug, Deserialize)]
pub struct ApiKeyRow {
    /// The hash the row was found by; the caller checks it is the one it asked for.
    pub key_hash: String,
    pub id: String,
    pub name: String,
    pub scopes: Vec<String>,
}

pub async fn create_in(txn: &mut Txn, id: &str, name: &str, key_hash: &str, scopes: &[String], now_ms: i64) -> GraphResult<()> {
    txn.run(
        cypher!("api_keys/create")
            .param("id", id)
            .param("name", name)
            .param("key_hash", key_hash)
            .param("scopes", scopes.to_vec())
            .param("now_ms", now_ms),
    )
    .await
}

/// The live key with this hash, if any.
pub async fn by_hash(graph: &Graph, key_hash: &str) -> GraphResult<Option<ApiKeyRow>> {
    graph.row(cypher!("api_keys/by_hash").param("key_hash", key_hash)).await
}

#[derive(Debug, Deserialize)]
pub struct ApiKeyListing {
    pub id: String,
    pub name: String,
    pub scopes: Vec<String>,
    pub created_at_ms: i64,
    pub revoked_at_ms: Option<i64>,
}

pub async fn list(graph: &Graph) -> GraphResult<Vec<ApiKeyListing>> {
    graph.rows(cypher!("api_keys/list")).await
}

/// Revokes a live key; the key's name, or None when there is no such live key.
pub async fn revoke_in(txn: &mut Txn, id: &str, now_ms: i64) -> GraphResult<Option<String>> {
    #[derive(Deserialize)]
    struct Revoked {
        name: String,
    }
    let row: Option<Revoked> = txn.row(cypher!("api_keys/revoke").param("id", id).param("now_ms", now_ms)).await?;
    Ok(row.map(|r| r.name))
}
