//! For operators and load balancers: `/healthz` (the process answers), `/readyz` (the database
//! answers, and whether a settlement is running) and `/metrics` (Prometheus text, served by the
//! metrics middleware itself).
use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use serde_json::json;

use super::AppState;

/// The process is alive; it does not ask the database.
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// Ready to serve when the database answers; says which day a settlement is writing, if any, by
/// whom, how far it is, and until when its claim holds, and which settled day's fence is closing (a run whose process died is taken over,
/// by this server or another, once that has passed).
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let asked = async {
        let running = crate::graph::settlements::days::running(&state.graph).await?;
        let closing = crate::graph::fence::open_settled_day(&state.graph).await?;
        crate::graph::GraphResult::Ok((running, closing))
    };
    match asked.await {
        Ok((running, closing)) => HttpResponse::Ok().json(json!({
            "status": "ready",
            "database": "answers",
            "settlement_running": running.as_ref().map(|r| r.day),
            // A settled day whose fence is still being closed: refunds that arrived while it ran
            // have yet to leave their pools.
            "settlement_closing": closing.map(|day| day.to_string()),
            "settlement": running.map(|r| json!({
                "day": r.day,
                "owner": r.owner,
                "batches_done": r.batches_done,
                "batches_total": r.planned.then_some(r.batches_total),
                "lease_expires_at": r.lease_until_ms.and_then(DateTime::<Utc>::from_timestamp_millis).map(|t| t.to_rfc3339()),
                "stopped": r.lease_until_ms.is_some_and(|until| until < Utc::now().timestamp_millis()),
            })),
        })),
        Err(error) => {
            tracing::warn!(%error, "readiness check: the database does not answer");
            HttpResponse::ServiceUnavailable()
                .insert_header((actix_web::http::header::RETRY_AFTER, super::error::DATABASE_RETRY_AFTER_SECONDS.to_string()))
                .json(json!({ "status": "unavailable", "database": "not answering" }))
        }
    }
}
