//! For operators and load balancers: `/healthz` (the process answers), `/readyz` (the database
//! answers, and whether a settlement is running) and `/metrics` (Prometheus text, served by the
//! metrics middleware itself).
use actix_web::{HttpResponse, get, web};
use serde_json::json;

use super::AppState;

/// The process is alive; it does not ask the database.
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// Ready to serve when the database answers; says which day a settlement is writing, if any.
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    match crate::graph::settlements::running(&state.graph).await {
        Ok(running) => HttpResponse::Ok().json(json!({
            "status": "ready",
            "database": "answers",
            "settlement_running": running.map(|r| r.day),
        })),
        Err(error) => {
            tracing::warn!(%error, "readiness check: the database does not answer");
            HttpResponse::ServiceUnavailable()
                .insert_header((actix_web::http::header::RETRY_AFTER, super::error::DATABASE_RETRY_AFTER_SECONDS.to_string()))
                .json(json!({ "status": "unavailable", "database": "not answering" }))
        }
    }
}
