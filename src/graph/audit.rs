//! The audit log: who did what, to which target, when. Every state-changing admin action writes
//! an entry, in the same transaction as the change where there is one.
use serde::Deserialize;

use super::{Graph, GraphResult, Txn};
use crate::cypher;

fn entry(actor: &str, action: &str, target: &str, detail: &str, now_ms: i64) -> neo4rs::Query {
    cypher!("audit/record")
        .param("id", uuid::Uuid::new_v4().to_string())
        .param("now_ms", now_ms)
        .param("actor", actor)
        .param("action", action)
        .param("target", target)
        .param("detail", detail)
}

pub async fn record_in(txn: &mut Txn, actor: &str, action: &str, target: &str, detail: &str, now_ms: i64) -> GraphResult<()> {
    txn.run(entry(actor, action, target, detail, now_ms)).await
}

/// Records an action whose change is already committed (a settlement run spans many transactions).
pub async fn record(graph: &Graph, actor: &str, action: &str, target: &str, detail: &str, now_ms: i64) -> GraphResult<()> {
    graph.run(entry(actor, action, target, detail, now_ms)).await
}

#[derive(Clone, Debug, Deserialize)]
pub struct AuditRow {
    pub id: String,
    pub at_ms: i64,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

/// Which entries a list shows; each part left out shows every entry.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// The actor as stored (`admin:ops`), or the part after its kind (`ops`, a phone, a key's id).
    pub actor: Option<String>,
    pub action: Option<String>,
    pub target: Option<String>,
    /// The entries at or after, and before, these instants.
    pub from_ms: Option<i64>,
    pub until_ms: Option<i64>,
}

/// The latest entries first, before `(at_ms, id)` when given.
pub async fn list(graph: &Graph, before: Option<(i64, String)>, limit: i64) -> GraphResult<Vec<AuditRow>> {
    list_of(graph, &Filter::default(), before, limit).await
}

/// The latest entries the filter lets through first, before `(at_ms, id)` when given.
pub async fn list_of(graph: &Graph, filter: &Filter, before: Option<(i64, String)>, limit: i64) -> GraphResult<Vec<AuditRow>> {
    let (before_ms, before_id) = before.map_or((None, None), |(ms, id)| (Some(ms), Some(id)));
    let query = cypher!("audit/list")
        .param("before_ms", before_ms)
        .param("before_id", before_id)
        .param("from_ms", filter.from_ms)
        .param("until_ms", filter.until_ms)
        .param("action", filter.action.as_deref())
        .param("actor", filter.actor.as_deref())
        .param("actor_suffix", filter.actor.as_ref().map(|actor| format!(":{actor}")))
        .param("target", filter.target.as_deref())
        .param("limit", limit);
    graph.rows(query).await
}
