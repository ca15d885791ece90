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

/// In one transaction, where concurrent requests for the same phone meet (on any server): the
/// phone's sends after `since_ms`, `decide` on them, and the send recorded when it is let
/// through. Also forgets every send at or before `since_ms` and every code expired by then, so
/// that what is kept stays about one day's worth (and the scans stay short).
pub async fn record_send_if<R, D>(
    graph: &Graph,
    phone: &str,
    purpose: &str,
    now_ms: i64,
    since_ms: i64,
    decide: D,
) -> GraphResult<Result<(), R>>
where
    R: Send + 'static,
    D: Fn(Sends) -> Result<(), R> + Clone + Send + 'static,
{
    graph.run(cypher!("sms_codes/forget_sends").param("before_ms", since_ms)).await?;
    graph.run(cypher!("sms_codes/forget_codes").param("before_ms", since_ms)).await?;
    let (phone, purpose) = (phone.to_string(), purpose.to_string());
    graph
        .transaction(move |txn| {
            let (phone, purpose, decide) = (phone.clone(), purpose.clone(), decide.clone());
            Box::pin(async move {
                txn.run(cypher!("sms_codes/claim_phone").param("phone", phone.as_str()).param("now_ms", now_ms)).await?;
                let sends: Option<Sends> =
                    txn.row(cypher!("sms_codes/sends_since").param("phone", phone.as_str()).param("since_ms", since_ms)).await?;
                if let Err(refusal) = decide(sends.unwrap_or(Sends { sends: 0, last_ms: None })) {
                    return Ok(Err(refusal));
                }
                txn.run(
                    cypher!("sms_codes/record_send")
                        .param("phone", phone.as_str())
                        .param("purpose", purpose.as_str())
                        .param("now_ms", now_ms),
                )
                .await?;
                Ok(Ok(()))
            })
        })
        .await
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
/// Two servers trying the same code at once conflict: the loser runs again and counts its try after.
pub async fn try_code(graph: &Graph, phone: &str, purpose: &str, now_ms: i64, max_tries: i64) -> GraphResult<Option<CodeTry>> {
    let (phone, purpose) = (phone.to_string(), purpose.to_string());
    graph
        .transaction(move |txn| {
            let query = cypher!("sms_codes/try")
                .param("phone", phone.as_str())
                .param("purpose", purpose.as_str())
                .param("now_ms", now_ms)
                .param("max_tries", max_tries);
            Box::pin(async move { txn.row(query).await })
        })
        .await
}

/// Uses up the code `id` of `phone`; true when this call was its first use.
pub async fn consume(graph: &Graph, phone: &str, id: &str) -> GraphResult<bool> {
    #[derive(Deserialize)]
    struct Uses {
        uses: i64,
    }
    let query = cypher!("sms_codes/consume").param("phone", phone).param("id", id);
    let row: Option<Uses> = graph.transaction(move |txn| Box::pin(txn.row(query.clone()))).await?;
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
