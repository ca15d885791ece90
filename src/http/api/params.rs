//! The bonus parameters: every version, and new versions from an effective date.
use actix_web::{HttpResponse, get, put, web};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::app;
use crate::domain::params::{Params, ParamsDocument};
use crate::domain::scope::Scope;
use crate::graph::params::{self as stored, ParamsVersion, beginning};
use crate::http::AppState;
use crate::http::auth::ApiClient;
use crate::http::error::{ApiError, FieldError};

/// One version: its number and the whole document.
#[derive(Serialize, ToSchema)]
pub struct VersionView {
    version: i64,
    created_at: String,
    #[serde(flatten)]
    #[schema(value_type = Object)]
    document: ParamsDocument,
}

#[derive(Serialize, ToSchema)]
pub struct ParamsView {
    /// The version in force today.
    current: VersionView,
    /// Every version, oldest first (including those not yet in force).
    versions: Vec<VersionView>,
}

fn version_view(v: &ParamsVersion) -> VersionView {
    VersionView {
        version: v.version,
        created_at: DateTime::<Utc>::from_timestamp_millis(v.created_at_ms)
            .map_or_else(String::new, |t| t.to_rfc3339_opts(SecondsFormat::Secs, true)),
        document: ParamsDocument::from(&v.params),
    }
}

/// The parameters in force today and every version.
#[utoipa::path(tag = "params", responses((status = 200, body = ParamsView)), security(("bearer" = [])))]
#[get("/params")]
pub async fn get(state: web::Data<AppState>, _client: ApiClient) -> Result<HttpResponse, ApiError> {
    let history = stored::history(&state.graph).await?;
    Ok(HttpResponse::Ok().json(ParamsView {
        current: version_view(history.in_force(state.today())),
        versions: history.versions().iter().map(version_view).collect(),
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
    let history = stored::history(&state.graph).await?;
    let created = history
        .versions()
        .iter()
        .find(|v| v.version == version)
        .ok_or_else(|| ApiError::from(crate::graph::GraphError::Corrupt(format!("parameter version {version} vanished"))))?;
    Ok(HttpResponse::Created().json(version_view(created)))
}

/// The fields of a document, in its order.
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

/// Names each field that keeps an object from being a document (missing, unknown, or of the
/// wrong JSON type), so that the refusal points at them all like the value checks do: each
/// present field is tried on its own in an otherwise valid document.
fn shape_errors(body: &serde_json::Map<String, Value>, error: &serde_json::Error) -> Vec<FieldError> {
    let template = serde_json::to_value(ParamsDocument::from(&Params::defaults(beginning()))).expect("a document is JSON");
    let mut errors = Vec::new();
    for field in DOCUMENT_FIELDS {
        match body.get(field) {
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
    for field in body.keys().filter(|k| !DOCUMENT_FIELDS.contains(&k.as_str())) {
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
        let mut listed = DOCUMENT_FIELDS.to_vec();
        keys.sort_unstable();
        listed.sort_unstable();
        assert_eq!(keys, listed);
    }
}
