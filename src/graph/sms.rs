//! The development SMS sender's outbox: messages kept in the graph for the admins' outbox page
//! instead of being sent.
use serde::Deserialize;

use super::{Graph, GraphResult};
use crate::cypher;

#[derive(Clone, Debug, Deserialize)]
pub struct SmsRow {
    pub id: String,
    pub at_ms: i64,
    pub phone: String,
    pub purpose: String,
    pub text: String,
}

pub async fn record(graph: &Graph, phone: &str, purpose: &str, text: &str, now_ms: i64) -> GraphResult<()> {
    graph
        .run(
            cypher!("sms/record")
                .param("id", uuid::Uuid::new_v4().to_string())
                .param("now_ms", now_ms)
                .param("phone", phone)
                .param("purpose", purpose)
                .param("text", text),
        )
        .await
}

/// The latest messages first, before `(at_ms, id)` when given.
pub async fn outbox(graph: &Graph, before: Option<(i64, String)>, limit: i64) -> GraphResult<Vec<SmsRow>> {
    let (before_ms, before_id) = before.map_or((None, None), |(ms, id)| (Some(ms), Some(id)));
    graph.rows(cypher!("sms/outbox").param("before_ms", before_ms).param("before_id", before_id).param("limit", limit)).await
}
