//! Parameter versions: one node per version holding the whole document as JSON.
use chrono::NaiveDate;
use serde::Deserialize;

use super::{Graph, GraphError, GraphResult, Txn};
use crate::cypher;
use crate::domain::audit::Actor;
use crate::domain::day::BusinessDay;
use crate::domain::params::{Params, ParamsDocument};

/// One stored version of the parameters.
#[derive(Clone, Debug)]
pub struct ParamsVersion {
    pub version: i64,
    pub params: Params,
    pub created_at_ms: i64,
    /// Who proposed it and who approved it, as the audit log names actors; none for the defaults.
    pub created_by: Option<String>,
    pub approved_by: Option<String>,
    pub cancelled: Option<Cancelled>,
}

/// A version withdrawn before it took effect: it never applies to any day.
#[derive(Clone, Debug)]
pub struct Cancelled {
    pub at_ms: i64,
    pub by: String,
}

/// Every version, oldest first; never without a live one once the schema is applied.
#[derive(Clone, Debug)]
pub struct ParamsHistory {
    /// The versions not cancelled: the ones that apply.
    live: Vec<ParamsVersion>,
    /// Every version, cancelled ones too.
    all: Vec<ParamsVersion>,
}

impl ParamsHistory {
    /// The version in force on `day`: the latest `effective_from` not after it, the higher
    /// version number winning a tie; cancelled versions never are.
    pub fn in_force(&self, day: BusinessDay) -> &ParamsVersion {
        self.live
            .iter()
            .filter(|v| v.params.effective_from() <= day)
            .max_by_key(|v| (v.params.effective_from(), v.version))
            .unwrap_or(&self.live[0])
    }

    /// The versions that apply (not cancelled), oldest first.
    pub fn versions(&self) -> &[ParamsVersion] {
        &self.live
    }

    /// Every version, cancelled ones too, oldest first.
    pub fn all(&self) -> &[ParamsVersion] {
        &self.all
    }

    /// The version with this number, cancelled or not.
    pub fn version(&self, version: i64) -> Option<&ParamsVersion> {
        self.all.iter().find(|v| v.version == version)
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
    created_by: Option<String>,
    approved_by: Option<String>,
    cancelled_at_ms: Option<i64>,
    cancelled_by: Option<String>,
}

pub async fn history(graph: &Graph) -> GraphResult<ParamsHistory> {
    decode_history(graph.rows(cypher!("params/all")).await?)
}

pub async fn history_in(txn: &mut Txn) -> GraphResult<ParamsHistory> {
    decode_history(txn.rows(cypher!("params/all")).await?)
}

fn decode_history(rows: Vec<VersionRow>) -> GraphResult<ParamsHistory> {
    let all = rows
        .into_iter()
        .map(|row| {
            let document: ParamsDocument =
                serde_json::from_str(&row.document).map_err(|e| GraphError::Corrupt(format!("parameter version {}: {e}", row.version)))?;
            let params = Params::parse(document).map_err(|e| GraphError::Corrupt(format!("parameter version {}: {e}", row.version)))?;
            let cancelled = row.cancelled_at_ms.map(|at_ms| Cancelled { at_ms, by: row.cancelled_by.unwrap_or_default() });
            Ok(ParamsVersion {
                version: row.version,
                params,
                created_at_ms: row.created_at_ms,
                created_by: row.created_by,
                approved_by: row.approved_by,
                cancelled,
            })
        })
        .collect::<GraphResult<Vec<_>>>()?;
    let live: Vec<ParamsVersion> = all.iter().filter(|v| v.cancelled.is_none()).cloned().collect();
    if live.is_empty() {
        return Err(GraphError::Corrupt("no parameter version in force; the schema was not applied".into()));
    }
    Ok(ParamsHistory { live, all })
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

/// Records `params` as the next version, proposed and approved by `actor`; returns its number.
pub async fn create_in(txn: &mut Txn, params: &Params, actor: &Actor, now_ms: i64) -> GraphResult<i64> {
    #[derive(Deserialize)]
    struct Created {
        version: i64,
    }
    let created: Option<Created> = txn
        .row(
            cypher!("params/create")
                .param("effective_from", params.effective_from().to_string())
                .param("document", encode(params)?)
                .param("actor", actor.to_string())
                .param("now_ms", now_ms),
        )
        .await?;
    created.map(|c| c.version).ok_or_else(|| GraphError::Corrupt("no parameter version was created".into()))
}

/// Cancels version `version` by `actor`; whether a version not cancelled yet had that number.
pub async fn cancel_in(txn: &mut Txn, version: i64, actor: &Actor, now_ms: i64) -> GraphResult<bool> {
    let cancelled: Option<serde::de::IgnoredAny> =
        txn.row(cypher!("params/cancel").param("version", version).param("actor", actor.to_string()).param("now_ms", now_ms)).await?;
    Ok(cancelled.is_some())
}

fn encode(params: &Params) -> GraphResult<String> {
    serde_json::to_string(&ParamsDocument::from(params)).map_err(|e| GraphError::Encode(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(version: i64, effective_from: &str, cancelled: bool) -> VersionRow {
        let day = BusinessDay::parse(effective_from).unwrap();
        VersionRow {
            version,
            document: encode(&Params::defaults(day)).unwrap(),
            created_at_ms: version,
            created_by: Some("cli".into()),
            approved_by: Some("cli".into()),
            cancelled_at_ms: cancelled.then_some(version + 1),
            cancelled_by: cancelled.then(|| "cli".into()),
        }
    }

    #[test]
    fn a_cancelled_version_is_never_in_force_and_is_still_found_by_its_number() {
        let history = decode_history(vec![row(1, "1970-01-01", false), row(2, "2026-03-01", false), row(3, "2026-04-01", true)]).unwrap();
        let on = |day: &str| history.in_force(BusinessDay::parse(day).unwrap()).version;
        assert_eq!((on("2026-02-28"), on("2026-03-01"), on("2026-04-01"), on("2027-01-01")), (1, 2, 2, 2));
        assert_eq!(history.versions().iter().map(|v| v.version).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(history.all().len(), 3);
        assert!(history.version(3).is_some_and(|v| v.cancelled.is_some()));
    }

    #[test]
    fn a_history_whose_every_version_is_cancelled_is_corrupt() {
        assert!(decode_history(vec![row(1, "1970-01-01", true)]).is_err());
    }
}
