//! Parameter versions: one node per version holding the whole document as JSON.
use chrono::NaiveDate;
use serde::Deserialize;

use super::{Graph, GraphError, GraphResult, Txn};
use crate::cypher;
use crate::domain::day::BusinessDay;
use crate::domain::params::{Params, ParamsDocument};

/// One stored version of the parameters.
#[derive(Clone, Debug)]
pub struct ParamsVersion {
    pub version: i64,
    pub params: Params,
    pub created_at_ms: i64,
}

/// Every version, oldest first; never empty once the schema is applied.
#[derive(Clone, Debug)]
pub struct ParamsHistory(Vec<ParamsVersion>);

impl ParamsHistory {
    /// The version in force on `day`: the latest `effective_from` not after it, the higher
    /// version number winning a tie.
    pub fn in_force(&self, day: BusinessDay) -> &ParamsVersion {
        self.0
            .iter()
            .filter(|v| v.params.effective_from() <= day)
            .max_by_key(|v| (v.params.effective_from(), v.version))
            .unwrap_or(&self.0[0])
    }

    pub fn versions(&self) -> &[ParamsVersion] {
        &self.0
    }
}

/// The first version's `effective_from`: the defaults apply from the beginning.
pub fn beginning() -> BusinessDay {
    BusinessDay::from(NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date"))
}

pub async fn ensure_default(graph: &Graph, now_ms: i64) -> GraphResult<()> {
    let document = encode(&Params::defaults(beginning()))?;
    graph
        .run(
            cypher!("params/ensure_default")
                .param("effective_from", beginning().to_string())
                .param("document", document)
                .param("now_ms", now_ms),
        )
        .await
}

#[derive(Deserialize)]
struct VersionRow {
    version: i64,
    document: String,
    created_at_ms: i64,
}

pub async fn history(graph: &Graph) -> GraphResult<ParamsHistory> {
    decode_history(graph.rows(cypher!("params/all")).await?)
}

pub async fn history_in(txn: &mut Txn) -> GraphResult<ParamsHistory> {
    decode_history(txn.rows(cypher!("params/all")).await?)
}

fn decode_history(rows: Vec<VersionRow>) -> GraphResult<ParamsHistory> {
    if rows.is_empty() {
        return Err(GraphError::Corrupt("no parameter version; the schema was not applied".into()));
    }
    let versions = rows
        .into_iter()
        .map(|row| {
            let document: ParamsDocument =
                serde_json::from_str(&row.document).map_err(|e| GraphError::Corrupt(format!("parameter version {}: {e}", row.version)))?;
            let params = Params::parse(document).map_err(|e| GraphError::Corrupt(format!("parameter version {}: {e}", row.version)))?;
            Ok(ParamsVersion { version: row.version, params, created_at_ms: row.created_at_ms })
        })
        .collect::<GraphResult<Vec<_>>>()?;
    Ok(ParamsHistory(versions))
}

/// Whether any order was paid at or after `since_ms`.
pub async fn any_order_paid_since_in(txn: &mut Txn, since_ms: i64) -> GraphResult<bool> {
    #[derive(Deserialize)]
    struct AnyOrders {
        any: bool,
    }
    let orders: Option<AnyOrders> = txn.row(cypher!("orders/any_paid_since").param("since_ms", since_ms)).await?;
    Ok(orders.is_some_and(|o| o.any))
}

/// Records `params` as the next version; returns its number.
pub async fn create_in(txn: &mut Txn, params: &Params, now_ms: i64) -> GraphResult<i64> {
    #[derive(Deserialize)]
    struct Created {
        version: i64,
    }
    let created: Option<Created> = txn
        .row(
            cypher!("params/create")
                .param("effective_from", params.effective_from().to_string())
                .param("document", encode(params)?)
                .param("now_ms", now_ms),
        )
        .await?;
    created.map(|c| c.version).ok_or_else(|| GraphError::Corrupt("no parameter version was created".into()))
}

fn encode(params: &Params) -> GraphResult<String> {
    serde_json::to_string(&ParamsDocument::from(params)).map_err(|e| GraphError::Encode(e.to_string()))
}
