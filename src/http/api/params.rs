//! The bonus parameters: every version, and new versions from an effective date.
use actix_web::{HttpResponse, get, put, web};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::params::{Params, ParamsDocument};
use crate::domain::scope::Scope;
use crate::graph::params::{self as stored, ParamsVersion};
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
pub async fn put(state: web::Data<AppState>, client: ApiClient, body: web::Json<ParamsDocument>) -> Result<HttpResponse, ApiError> {
    client.require(Scope::Admin)?;
    let params = Params::parse(body.into_inner()).map_err(|errors| {
        let fields = errors.errors.iter().map(|e| FieldError { field: e.field.clone(), message: e.message.clone() }).collect();
        ApiError::unprocessable("invalid_params", "the parameters are not valid; see fields").with_fields(fields)
    })?;
    let version = stored::create(&state.graph, &params, state.tz, state.now().timestamp_millis()).await?;
    let history = stored::history(&state.graph).await?;
    let created = history.versions().iter().find(|v| v.version == version).ok_or_else(|| {
        ApiError::from(crate::graph::GraphError::Corrupt(format!("parameter version {version} vanished")))
    })?;
    Ok(HttpResponse::Created().json(version_view(created)))
}
