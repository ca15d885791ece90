//! The bonus parameters: new versions from an effective date.
use serde_json::Value;

use super::{AppError, AppResult, Application, FieldError, audit};
use crate::domain::audit::{Actor, AuditAction, Detail};
use crate::domain::day::BusinessDay;
use crate::domain::error_code::ErrorCode;
use crate::domain::params::{Params, ParamsDocument};
use crate::graph::{Txn, fence, params};

/// Parses a document, naming every refused field (`team_tiers[2].rate`): the API and the
/// console's form refuse exactly the same documents.
pub fn parse(document: ParamsDocument) -> AppResult<Params> {
    Params::parse(document).map_err(|errors| {
        let fields = errors.errors.into_iter().map(|e| FieldError { field: e.field, message: e.message }).collect();
        invalid(fields)
    })
}

/// The refusal of a document, with the reason of each field.
pub fn invalid(fields: Vec<FieldError>) -> AppError {
    AppError::refused(ErrorCode::InvalidParams, "the parameters are not valid; see fields").with_fields(fields)
}

/// Records `params` as a new version, in the audit log by `actor` with the fields it changes
/// from the version it replaces. Refused when it would change what already took effect
/// ([`TookEffect`]).
pub async fn create(app: &Application, actor: &Actor, new: Params) -> AppResult<i64> {
    let (tz, now_ms) = (app.tz, app.now_ms());
    app.graph
        .write(move |txn| {
            let (actor, new) = (actor.clone(), new.clone());
            Box::pin(async move { create_in(txn, &actor, &new, tz, now_ms).await })
        })
        .await
}

/// Why a version from `effective_from` can no longer be added or cancelled: a day from it on
/// is settled or being settled (a settled day is immutable), or orders were paid on or after it
/// (their grant used the version in force then, and a grant never changes).
enum TookEffect {
    Settled(BusinessDay),
    OrdersPaid,
}

async fn took_effect(txn: &mut Txn, effective_from: BusinessDay, tz: chrono_tz::Tz, now_ms: i64) -> AppResult<Option<TookEffect>> {
    // Every shard: an order paid from effective_from, arriving meanwhile on any server,
    // conflicts with this transaction, and one of the two decides again.
    if let Some(settled) = fence::touch_all(txn, now_ms).await?.fenced
        && effective_from <= settled
    {
        return Ok(Some(TookEffect::Settled(settled)));
    }
    let paid = params::any_order_paid_since_in(txn, effective_from.start_utc(tz).timestamp_millis()).await?;
    Ok(paid.then_some(TookEffect::OrdersPaid))
}

async fn create_in(txn: &mut Txn, actor: &Actor, new: &Params, tz: chrono_tz::Tz, now_ms: i64) -> AppResult<i64> {
    let effective_from = new.effective_from();
    let on_effective_from = |code: ErrorCode, message: String| {
        let field = FieldError { field: "effective_from".into(), message: message.clone() };
        AppError::refused(code, message).with_fields(vec![field])
    };
    match took_effect(txn, effective_from, tz, now_ms).await? {
        Some(TookEffect::Settled(settled)) => {
            let message = format!("effective_from must be after the latest day settled or being settled, {settled}");
            return Err(on_effective_from(ErrorCode::EffectiveFromSettled, message));
        }
        Some(TookEffect::OrdersPaid) => {
            let message = "orders were already paid on or after effective_from; their grants used the version in force then";
            return Err(on_effective_from(ErrorCode::EffectiveFromHasOrders, message.into()));
        }
        None => {}
    }
    let history = params::history_in(txn).await?;
    let replaced = history.in_force(effective_from);
    let version = params::create_in(txn, new, actor, now_ms).await?;
    let changed = changed_fields(&ParamsDocument::from(&replaced.params), &ParamsDocument::from(new));
    let detail =
        Detail { effective_from: Some(effective_from.to_string()), replaces: Some(replaced.version), changed, ..Detail::default() };
    audit(txn, actor, AuditAction::ParamsCreate, &format!("v{version}"), &detail, now_ms).await?;
    Ok(version)
}

/// Withdraws version `version` before it takes effect, in the audit log by `actor`: from then on
/// no day uses it, and the version it replaced stays in force. Refused when its `effective_from`
/// is today or earlier, or a day from it on is settled or being settled, or orders were paid on
/// or after it. Cancelling a cancelled version again changes nothing.
pub async fn cancel(app: &Application, actor: &Actor, version: i64) -> AppResult<()> {
    let (tz, today, now_ms) = (app.tz, app.today(), app.now_ms());
    app.graph
        .write(move |txn| {
            let actor = actor.clone();
            Box::pin(async move { cancel_in(txn, &actor, version, today, tz, now_ms).await })
        })
        .await
}

async fn cancel_in(txn: &mut Txn, actor: &Actor, version: i64, today: BusinessDay, tz: chrono_tz::Tz, now_ms: i64) -> AppResult<()> {
    let history = params::history_in(txn).await?;
    let Some(found) = history.version(version) else {
        return Err(AppError::refused(ErrorCode::ParamsVersionNotFound, "no parameter version has this number"));
    };
    if found.cancelled.is_some() {
        return Ok(());
    }
    let effective_from = found.params.effective_from();
    if effective_from <= today || took_effect(txn, effective_from, tz, now_ms).await?.is_some() {
        let message = "this version is in force or was: only a version whose effective_from is still ahead, with no day settled and no order paid from it, can be cancelled";
        return Err(AppError::refused(ErrorCode::ParamsVersionInForce, message));
    }
    if !params::cancel_in(txn, version, actor, now_ms).await? {
        return Err(AppError::corrupt(format!("parameter version {version} was not cancelled")));
    }
    let detail = Detail { effective_from: Some(effective_from.to_string()), ..Detail::default() };
    audit(txn, actor, AuditAction::ParamsCancel, &format!("v{version}"), &detail, now_ms).await
}

/// The paths (`team_tiers[2].rate`) whose values differ between two documents, fields in
/// alphabetical order, `effective_from` left out.
pub fn changed_fields(before: &ParamsDocument, after: &ParamsDocument) -> Vec<String> {
    let (before, after) = (flatten(before), flatten(after));
    let mut changed = std::collections::BTreeSet::new();
    for (path, value) in &after {
        if before.get(path) != Some(value) {
            changed.insert(path.clone());
        }
    }
    changed.extend(before.keys().filter(|path| !after.contains_key(*path)).cloned());
    changed.remove("effective_from");
    let mut changed: Vec<String> = changed.into_iter().collect();
    // `team_tiers[10]` after `team_tiers[9]`, not after `team_tiers[1]`.
    changed.sort_by_cached_key(|path| path.split(['[', ']']).map(|part| (part.parse::<u64>().ok(), part.to_string())).collect::<Vec<_>>());
    changed
}

/// Every leaf of a document by its path.
fn flatten(document: &ParamsDocument) -> std::collections::BTreeMap<String, Value> {
    fn walk(path: String, value: Value, leaves: &mut std::collections::BTreeMap<String, Value>) {
        match value {
            Value::Object(fields) => {
                for (field, value) in fields {
                    let path = if path.is_empty() { field } else { format!("{path}.{field}") };
                    walk(path, value, leaves);
                }
            }
            Value::Array(items) => {
                for (index, value) in items.into_iter().enumerate() {
                    walk(format!("{path}[{index}]"), value, leaves);
                }
            }
            leaf => {
                leaves.insert(path, leaf);
            }
        }
    }
    let mut leaves = std::collections::BTreeMap::new();
    walk(String::new(), serde_json::to_value(document).expect("a document is JSON"), &mut leaves);
    leaves
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::day::BusinessDay;

    #[test]
    fn the_changed_fields_are_the_paths_of_the_values_that_differ() {
        let day = BusinessDay::parse("2026-01-01").unwrap();
        let before = ParamsDocument::from(&Params::defaults(day));
        let mut after = before.clone();
        after.effective_from = "2026-02-01".into();
        after.peer_rate = "0.11".into();
        after.team_tiers[2].rate = "0.33".into();
        assert_eq!(changed_fields(&before, &after), vec!["peer_rate".to_string(), "team_tiers[2].rate".to_string()]);
        assert!(changed_fields(&before, &before).is_empty());
        after.team_tiers.pop();
        assert!(changed_fields(&before, &after).iter().any(|p| p.starts_with(&format!("team_tiers[{}]", before.team_tiers.len() - 1))));
    }
}
