//! SMS verification codes and the record of code sends. A code is stored only as the SHA-256 of a
//! random salt and its digits; the digits themselves never reach the database. The rules (how many
//! sends, how long a code lives, how many tries) are `app::sms`'s; this module only keeps the state.
use serde::Deserialize;

use super::{Graph, GraphError, GraphResult};
use crate::cypher;

/// The sends to a phone in a window: how many, and the latest.
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct Sends {
    pub sends: i64,
    pub last_ms: Option<i64>,
}

/// How many codes went to `phone` after `since_ms`, and when the latest went.
pub async fn sends_since(graph: &Graph, phone: &str, since_ms: i64) -> GraphResult<Sends> {
    let row: Option<Sends> = graph.row(cypher!("sms_codes/sends_since").param("phone", phone).param("since_ms", since_ms)).await?;
    Ok(row.unwrap_or(Sends { sends: 0, last_ms: None }))
}

/// Records a send to `phone`; forgets every send at or before `forget_before_ms` and every code
/// expired by then, so that what is kept stays about one day's worth (and the two scans stay short).
pub async fn record_send(graph: &Graph, phone: &str, purpose: &str, now_ms: i64, forget_before_ms: i64) -> GraphResult<()> {
    graph.run(cypher!("sms_codes/forget_sends").param("before_ms", forget_before_ms)).await?;
    graph.run(cypher!("sms_codes/forget_codes").param("before_ms", forget_before_ms)).await?;
    graph.run(cypher!("sms_codes/record_send").param("phone", phone).param("purpose", purpose).param("now_ms", now_ms)).await
}

/// A code as stored: its salt and the hex SHA-256 of salt and digits.
pub struct NewCode<'a> {
    pub phone: &'a str,
    pub purpose: &'a str,
    pub salt: &'a str,
    pub hash: &'a str,
    pub now_ms: i64,
    pub expires_at_ms: i64,
}

/// Keeps a new code, deleting the older codes of the same phone and purpose first.
pub async fn replace(graph: &Graph, code: NewCode<'_>) -> GraphResult<()> {
    graph.run(cypher!("sms_codes/delete_codes").param("phone", code.phone).param("purpose", code.purpose)).await?;
    graph
        .run(
            cypher!("sms_codes/create")
                .param("id", uuid::Uuid::new_v4().to_string())
                .param("phone", code.phone)
                .param("purpose", code.purpose)
                .param("salt", code.salt)
                .param("hash", code.hash)
                .param("now_ms", code.now_ms)
                .param("expires_at_ms", code.expires_at_ms),
        )
        .await
}

/// The live code a try was counted against, with its try count after this one.
#[derive(Clone, Debug, Deserialize)]
pub struct CodeTry {
    pub id: String,
    pub salt: String,
    pub hash: String,
    pub tries: i64,
}

/// Counts one try against the live code of `phone` for `purpose` (unused, unexpired at `now_ms`,
/// fewer than `max_tries` tries so far), in one statement; `None` when there is no such code.
pub async fn try_code(graph: &Graph, phone: &str, purpose: &str, now_ms: i64, max_tries: i64) -> GraphResult<Option<CodeTry>> {
    graph
        .row(
            cypher!("sms_codes/try")
                .param("phone", phone)
                .param("purpose", purpose)
                .param("now_ms", now_ms)
                .param("max_tries", max_tries),
        )
        .await
}

/// Uses up the code `id` of `phone`; true when this call was its first use.
pub async fn consume(graph: &Graph, phone: &str, id: &str) -> GraphResult<bool> {
    #[derive(Deserialize)]
    struct Uses {
        uses: i64,
    }
    let row: Option<Uses> = graph.row(cypher!("sms_codes/consume").param("phone", phone).param("id", id)).await?;
    Ok(row.is_some_and(|r| r.uses == 1))
}

/// Moves the expiry of the codes of `phone` for `purpose` to `expires_at_ms` (tests age a code with
/// it instead of waiting ten minutes); returns how many codes there were.
pub async fn expire(graph: &Graph, phone: &str, purpose: &str, expires_at_ms: i64) -> GraphResult<i64> {
    #[derive(Deserialize)]
    struct Codes {
        codes: i64,
    }
    let row: Option<Codes> = graph
        .row(cypher!("sms_codes/expire").param("phone", phone).param("purpose", purpose).param("expires_at_ms", expires_at_ms))
        .await?;
    row.map(|r| r.codes).ok_or_else(|| GraphError::Corrupt("counting codes returned nothing".into()))
}
