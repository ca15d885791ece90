//! The admin console: operators run the scheme from these pages.
mod api_keys;
mod audit;
pub mod dashboard;
mod login;
mod members;
mod outbox;
mod params;
pub mod settlements;
mod tree;
mod withdrawals;

use actix_web::web;

use crate::graph::{Graph, params as versions, settlements::days as settled};
use crate::http::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/admin")
            .route("/login", web::get().to(login::form))
            .route("/login", web::post().to(login::submit))
            .route("/logout", web::post().to(login::logout))
            .configure(members::configure)
            .configure(tree::configure)
            .configure(settlements::configure)
            .configure(params::configure)
            .configure(withdrawals::configure)
            .configure(api_keys::configure)
            .configure(audit::configure)
            .configure(outbox::configure)
            .route("", web::get().to(dashboard::page))
            .route("/", web::get().to(dashboard::page)),
    );
}

/// How often the server looks for a newly settled day to read ahead.
const WARM_EVERY: std::time::Duration = std::time::Duration::from_secs(30);

/// Starts computing what the console's heaviest pages need before anyone asks: the dashboard's
/// figures at start, and the payouts of each newly settled day for sorting by an amount. Runs for
/// the life of the server; the pages compute the same on demand when it has not yet.
pub fn keep_warm(state: &AppState) {
    // Whole-day and whole-tree reads: as long as they take, off any request.
    let (graph, tz, dashboard, sorted) = (state.graph.without_deadline(), state.tz, state.dashboard.clone(), state.sorted_payouts.clone());
    tokio::spawn(async move {
        if let Err(error) = warm_dashboard(&graph, tz, &dashboard).await {
            tracing::warn!(%error, "computing the dashboard figures at start failed");
        }
        let mut tick = tokio::time::interval(WARM_EVERY);
        loop {
            tick.tick().await;
            match settled::last_settled_day(&graph).await {
                Ok(Some(day)) => {
                    if let Err(error) = sorted.day(&graph, day).await {
                        tracing::warn!(%error, %day, "reading a settled day's payouts ahead failed");
                    }
                }
                Ok(None) => {}
                Err(error) => tracing::warn!(%error, "looking for the latest settled day failed"),
            }
        }
    });
}

async fn warm_dashboard(graph: &Graph, tz: chrono_tz::Tz, dashboard: &dashboard::Cache) -> crate::graph::GraphResult<()> {
    let today = crate::domain::day::BusinessDay::of(chrono::Utc::now(), tz);
    let thresholds = versions::history(graph).await?.in_force(today).params.tier_thresholds_fen();
    dashboard.figures(graph, thresholds).await.map(drop)
}
