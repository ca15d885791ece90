//! The members' statements (`(:Statement {key: day|phone})`, written by the runs' batches): one
//! member's, and a day's payouts in phone order.
use serde::Deserialize;
use serde::de::{Deserializer, Error};

use crate::cypher;
use crate::domain::amounts::ByKind;
use crate::domain::day::BusinessDay;
use crate::domain::money::Money;
use crate::graph::{Graph, GraphResult};
use crate::settlement::engine::Branch;

/// A statement as stored.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct StatementRow {
    pub day: BusinessDay,
    pub phone: String,
    /// The static release, the paid accelerated release by kind, and the forfeited entitlements.
    #[serde(flatten, deserialize_with = "super::money_by_kind")]
    pub amounts: ByKind<Money>,
    /// Everything credited: static plus the paid accelerated release.
    #[serde(deserialize_with = "super::money")]
    pub credited: Money,
    pub tier_rank: u8,
    #[serde(deserialize_with = "super::money")]
    pub team_volume: Money,
    #[serde(deserialize_with = "super::money")]
    pub pool_after: Money,
    #[serde(deserialize_with = "super::money")]
    pub available_after: Money,
    /// The direct-referral branches the member was entitled to something from, named by phone.
    #[serde(deserialize_with = "stored_branches")]
    pub branches: Vec<Branch<String>>,
}

/// The branches as the run stored them: JSON.
fn stored_branches<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Branch<String>>, D::Error> {
    let json = String::deserialize(deserializer)?;
    serde_json::from_str(&json).map_err(|e| D::Error::custom(format!("statement branches: {e}")))
}

/// The key of a member's statement of a day: day and phone, so a day's statements sort by phone.
pub fn key(day: BusinessDay, phone: &str) -> String {
    format!("{day}|{phone}")
}

/// Above every key of `day`: '|' is followed by '}' in ASCII.
fn end_of(day: BusinessDay) -> String {
    format!("{day}}}")
}

/// A page of a day's statements in phone order, after `after_phone` when given (read in key
/// windows: see [`in_windows`]).
pub async fn payouts(graph: &Graph, day: BusinessDay, after_phone: Option<&str>, limit: i64) -> GraphResult<Vec<StatementRow>> {
    in_windows(graph, day, after_phone.unwrap_or(""), limit, |after_key, end_key, limit| {
        cypher!("settlements/payouts").param("after_key", after_key).param("end_key", end_key).param("limit", limit)
    })
    .await
}

/// One member's credits of a settled day, without the statement's sources.
#[derive(Clone, Debug, Deserialize)]
pub struct PayoutAmounts {
    pub phone: String,
    #[serde(flatten, deserialize_with = "super::money_by_kind")]
    pub amounts: ByKind<Money>,
    /// Everything credited: static plus the paid accelerated release.
    #[serde(deserialize_with = "super::money")]
    pub credited: Money,
}

/// A page of one day's payouts (amounts only) in phone order, after `after_phone` (read in key
/// windows: see [`in_windows`]).
pub async fn payout_amounts(graph: &Graph, day: BusinessDay, after_phone: &str, limit: i64) -> GraphResult<Vec<PayoutAmounts>> {
    in_windows(graph, day, after_phone, limit, |after_key, end_key, limit| {
        cypher!("settlements/payout_amounts").param("after_key", after_key).param("end_key", end_key).param("limit", limit)
    })
    .await
}

/// A page of one day's rows in phone order after `after_phone`, by `statement` (rows after a key,
/// before an end key, at most a limit, in key order).
///
/// The engine sorts a whole key range before it applies a limit, and a day has a statement per
/// paid member, so the page is read through key windows that widen as they come back sparse:
/// the phones sharing the next four digits, then three, then two, then the rest of the day.
/// A page costs at most four queries, each sorting about one window, whatever the size of the day.
async fn in_windows<T: serde::de::DeserializeOwned + Send + 'static>(
    graph: &Graph,
    day: BusinessDay,
    after_phone: &str,
    limit: i64,
    statement: impl Fn(String, String, i64) -> neo4rs::Query,
) -> GraphResult<Vec<T>> {
    let mut rows: Vec<T> = Vec::new();
    let mut after_key = key(day, after_phone);
    // Where the next window starts; every phone begins with 1[3-9], so none sorts below "1300".
    let mut start = if after_phone.is_empty() { "1300".to_string() } else { after_phone.to_string() };
    for width in [4, 3, 2, 0] {
        let end = start.get(..width).filter(|_| width > 0).map(next_prefix);
        let end_key = end.as_deref().map_or_else(|| end_of(day), |end| key(day, end));
        let batch: Vec<T> = graph.rows(statement(after_key.clone(), end_key.clone(), limit - rows.len() as i64)).await?;
        rows.extend(batch);
        match end {
            // The window is read to its end: the next, wider one starts there.
            Some(end) if (rows.len() as i64) < limit => {
                start = end;
                after_key = end_key;
            }
            _ => break,
        }
    }
    Ok(rows)
}

/// Every payout of a day, by phone. One unordered read sorted here: the engine would sort the
/// whole range anyway, and reading it in windows costs several times more.
pub async fn day_amounts(graph: &Graph, day: BusinessDay) -> GraphResult<Vec<PayoutAmounts>> {
    // A whole day (a million rows at a million members) takes longer than a request's deadline.
    let mut rows: Vec<PayoutAmounts> = graph
        .without_deadline()
        .rows(cypher!("settlements/day_amounts").param("after_key", key(day, "")).param("end_key", end_of(day)))
        .await?;
    rows.sort_by(|a, b| a.phone.cmp(&b.phone));
    Ok(rows)
}

/// The smallest string above every string that begins with `prefix` (a digit string): its last
/// digit plus one (after '9' comes ':', which still sorts above every digit).
fn next_prefix(prefix: &str) -> String {
    let mut bytes = prefix.as_bytes().to_vec();
    if let Some(last) = bytes.last_mut() {
        *last += 1;
    }
    String::from_utf8(bytes).unwrap_or_default()
}

/// A member's statements from `from` to `to`, the latest first.
pub async fn of_member(graph: &Graph, phone: &str, from: BusinessDay, to: BusinessDay) -> GraphResult<Vec<StatementRow>> {
    graph.rows(cypher!("settlements/statements_of").param("phone", phone).param("from", from.to_string()).param("to", to.to_string())).await
}

/// A member's statement of one day.
pub async fn get(graph: &Graph, phone: &str, day: BusinessDay) -> GraphResult<Option<StatementRow>> {
    graph.row(cypher!("settlements/statement").param("key", key(day, phone))).await
}

/// A page of a member's statements, the latest first, before `before` when given.
pub async fn page_of_member(graph: &Graph, phone: &str, before: Option<BusinessDay>, limit: i64) -> GraphResult<Vec<StatementRow>> {
    graph
        .rows(
            cypher!("settlements/statements_page")
                .param("phone", phone)
                .param("before", before.map(|d| d.to_string()))
                .param("limit", limit),
        )
        .await
}

#[cfg(test)]
mod tests {
    use super::next_prefix;

    #[test]
    fn the_next_prefix_sorts_above_every_phone_that_begins_with_the_prefix_and_below_the_rest() {
        assert_eq!(next_prefix("1300"), "1301");
        assert_eq!(next_prefix("1399"), "139:");
        assert!("13999999999" < next_prefix("1399").as_str());
        assert!(next_prefix("1399").as_str() < "14000000000");
    }
}
