//! Login sessions of admins and members, stored by the SHA-256 of their cookie (the cookie has
//! 256 random bits; a copy of the database does not give anyone a session).
use serde::Deserialize;

use super::{Graph, GraphResult};
use crate::cypher;

#[derive(Clone, Debug, Deserialize)]
pub struct SessionRow {
    /// The hash the row was found by; the caller checks it is the one it asked for.
    pub id_hash: String,
    /// `admin` or `member`.
    pub kind: String,
    /// The admin's username or the member's phone.
    pub subject: String,
    pub csrf: String,
    pub created_at_ms: i64,
    pub seen_at_ms: i64,
}

pub async fn create(graph: &Graph, id_hash: &str, kind: &str, subject: &str, csrf: &str, now_ms: i64) -> GraphResult<()> {
    graph
        .run(
            cypher!("sessions/create")
                .param("id_hash", id_hash)
                .param("kind", kind)
                .param("subject", subject)
                .param("csrf", csrf)
                .param("now_ms", now_ms),
        )
        .await
}

pub async fn by_hash(graph: &Graph, id_hash: &str) -> GraphResult<Option<SessionRow>> {
    graph.row(cypher!("sessions/by_hash").param("id_hash", id_hash)).await
}

pub async fn touch(graph: &Graph, id_hash: &str, now_ms: i64) -> GraphResult<()> {
    graph.run(cypher!("sessions/touch").param("id_hash", id_hash).param("now_ms", now_ms)).await
}

pub async fn delete(graph: &Graph, id_hash: &str) -> GraphResult<()> {
    graph.run(cypher!("sessions/delete").param("id_hash", id_hash)).await
}

/// Removes every session idle since `idle_before_ms` or opened before `opened_before_ms`.
pub async fn delete_expired(graph: &Graph, idle_before_ms: i64, opened_before_ms: i64) -> GraphResult<i64> {
    #[derive(Deserialize)]
    struct Deleted {
        deleted: i64,
    }
    let row: Option<Deleted> = graph
        .row(cypher!("sessions/delete_expired").param("idle_before_ms", idle_before_ms).param("opened_before_ms", opened_before_ms))
        .await?;
    Ok(row.map_or(0, |r| r.deleted))
}
