//! The bonus parameters: every version, and new versions from an effective date.
use actix_web::{HttpResponse, get, post, put, web};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::app;
use crate::domain::day::BusinessDay;
use crate::domain::error_code::ErrorCode;
use crate::domain::params::{Params, ParamsDocument};
use crate::domain::scope::Scope;
use crate::graph::params::{self as stored, ParamsHistory, ParamsVersion, beginning};
use crate::http::AppState;
use crate::http::auth::ApiClient;
use crate::http::error::{ApiError, FieldError};

/// Where a version stands today.
#[derive(Serialize, ToSchema, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub enum VersionStatus {
    /// Was in force, replaced by a later one.
    Past,
    /// In force today.
    InForce,
    /// Takes effect on a later day.
    Scheduled,
    /// Withdrawn before it took effect: no day uses it.
    Cancelled,
}

/// One version: its number, who proposed and approved it, where it stands, and the whole document.
#[derive(Serialize, ToSchema)]
pub struct VersionView {
    version: i64,
    status: VersionStatus,
    created_at: String,
    /// The actor who proposed it (`admin:ops`, `api_key:ID`, `cli`); null for the defaults.
    created_by: Option<String>,
    /// The actor who approved it; null for the defaults.
    approved_by: Option<String>,
    /// When and by whom it was cancelled; null unless cancelled.
    cancelled_at: Option<String>,
    cancelled_by: Option<String>,
    #[serde(flatten)]
    #[schema(value_type = Object)]
    document: ParamsDocument,
}

#[derive(Serialize, ToSchema)]
pub struct ParamsView {
    /// The version in force today.
    current: VersionView,
    /// Every version, oldest first (including those not yet in force, and cancelled ones).
    versions: Vec<VersionView>,
}

impl VersionStatus {
    /// As the API writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            VersionStatus::Past => "past",
            VersionStatus::InForce => "in_force",
            VersionStatus::Scheduled => "scheduled",
            VersionStatus::Cancelled => "cancelled",
        }
    }
}

/// Where `v` stands on `today`, given the history it belongs to.
pub fn status(history: &ParamsHistory, v: &ParamsVersion, today: BusinessDay) -> VersionStatus {
    if v.cancelled.is_some() {
        VersionStatus::Cancelled
    } else if v.version == history.in_force(today).version {
        VersionStatus::InForce
    } else if v.params.effective_from() > today {
        VersionStatus::Scheduled
    } else {
        VersionStatus::Past
    }
}

fn instant(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms).map_or_else(String::new, |t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
}

fn version_view(history: &ParamsHistory, v: &ParamsVersion, today: BusinessDay) -> VersionView {
    VersionView {
        version: v.version,
        status: status(history, v, today),
        created_at: instant(v.created_at_ms),
        created_by: v.created_by.clone(),
        approved_by: v.approved_by.clone(),
        cancelled_at: v.cancelled.as_ref().map(|c| instant(c.at_ms)),
        cancelled_by: v.cancelled.as_ref().map(|c| c.by.clone()),
        document: ParamsDocument::from(&v.params),
    }
}

/// The view of version `version` as stored now.
async fn stored_view(state: &AppState, version: i64) -> Result<VersionView, ApiError> {
    let history = stored::history(&state.graph).await?;
    let found = history
        .version(version)
        .ok_or_else(|| ApiError::from(crate::graph::GraphError::Corrupt(format!("parameter version {version} vanished"))))?;
    Ok(version_view(&history, found, state.today()))
}

/// The parameters in force today and every version.
#[utoipa::path(tag = "params", responses((status = 200, body = ParamsView)), security(("bearer" = [])))]
#[get("/params")]
pub async fn get(state: web::Data<AppState>, _client: ApiClient) -> Result<HttpResponse, ApiError> {
    let history = stored::history(&state.graph).await?;
    let today = state.today();
    Ok(HttpResponse::Ok().json(ParamsView {
        current: version_view(&history, history.in_force(today), today),
        versions: history.all().iter().map(|v| version_view(&history, v, today)).collect(),
    }))
}

/// Record a new version (a whole document) in force from its `effective_from`.
#[utoipa::path(
    tag = "params", request_body(content = Object, description = "the whole parameter document of SPEC §2"),
    responses((status = 201, body = VersionView), (status = 422, description = "invalid_params (with fields), effective_from_settled, effective_from_has_orders")),
    security(("bearer" = ["admin"]))
)]
#[put("/params")]
pub async fn put(
    state: web::Data<AppState>,
    client: ApiClient,
    body: web::Json<serde_json::Map<String, Value>>,
) -> Result<HttpResponse, ApiError> {
    client.require(Scope::Admin)?;
    let body = body.into_inner();
    let document: ParamsDocument =
        serde_json::from_value(Value::Object(body.clone())).map_err(|error| app::params::invalid(shape_errors(&body, &error)))?;
    let version = app::params::create(&state, &client.actor(), app::params::parse(document)?).await?;
    Ok(HttpResponse::Created().json(stored_view(&state, version).await?))
}

/// Cancel a version before it takes effect: no day will use it, and the version it replaced
/// stays in force. Cancelling a cancelled version again answers it unchanged.
#[utoipa::path(
    tag = "params", params(("version" = i64, Path)),
    responses((status = 200, body = VersionView), (status = 404, description = "params_version_not_found"),
              (status = 409, description = "params_version_in_force: its effective_from is today or earlier, or a day from it is settled, or orders were paid from it")),
    security(("bearer" = ["admin"]))
)]
#[post("/params/{version}/cancel")]
pub async fn cancel(state: web::Data<AppState>, client: ApiClient, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    client.require(Scope::Admin)?;
    let not_found = || ApiError::refused(ErrorCode::ParamsVersionNotFound, "no parameter version has this number");
    let version: i64 = path.trim().parse().map_err(|_| not_found())?;
    app::params::cancel(&state, &client.actor(), version).await?;
    Ok(HttpResponse::Ok().json(stored_view(&state, version).await?))
}

/// The fields a document must have, in its order.
const DOCUMENT_FIELDS: [&str; 11] = [
    "effective_from",
    "order_levels",
    "release_rate",
    "share_rates",
    "team_tiers",
    "peer_rate",
    "peer_generations",
    "team_max_depth",
    "points_usage_ratio",
    "withdrawal_min",
    "withdrawal_fee_rate",
];

/// The fields a document may leave out (added after the first version; a default stands in).
const OPTIONAL_FIELDS: [&str; 1] = ["hold_days"];

/// Names each field that keeps an object from being a document (missing, unknown, or of the
/// wrong JSON type), so that the refusal points at them all like the value checks do: each
/// present field is tried on its own in an otherwise valid document.
fn shape_errors(body: &serde_json::Map<String, Value>, error: &serde_json::Error) -> Vec<FieldError> {
    let template = serde_json::to_value(ParamsDocument::from(&Params::defaults(beginning()))).expect("a document is JSON");
    let mut errors = Vec::new();
    for field in DOCUMENT_FIELDS.into_iter().chain(OPTIONAL_FIELDS) {
        match body.get(field) {
            None if OPTIONAL_FIELDS.contains(&field) => {}
            None => errors.push(FieldError { field: field.into(), message: "this field is required".into() }),
            Some(value) => {
                let mut candidate = template.clone();
                candidate[field] = value.clone();
                if let Err(error) = serde_json::from_value::<ParamsDocument>(candidate) {
                    errors.push(FieldError { field: field.into(), message: error.to_string() });
                }
            }
        }
    }
    let known = |field: &str| DOCUMENT_FIELDS.contains(&field) || OPTIONAL_FIELDS.contains(&field);
    for field in body.keys().filter(|k| !known(k)) {
        errors.push(FieldError { field: field.clone(), message: "unknown field".into() });
    }
    if errors.is_empty() {
        errors.push(FieldError { field: String::new(), message: error.to_string() });
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_field_list_names_exactly_the_fields_of_a_document() {
        let template = serde_json::to_value(ParamsDocument::from(&Params::defaults(beginning()))).unwrap();
        let mut keys: Vec<&str> = template.as_object().unwrap().keys().map(String::as_str).collect();
        let mut listed = [DOCUMENT_FIELDS.as_slice(), OPTIONAL_FIELDS.as_slice()].concat();
        keys.sort_unstable();
        listed.sort_unstable();
        assert_eq!(keys, listed);
    }
}
