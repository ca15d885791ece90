//! The dashboard: the scheme's totals, the tier distribution and a chart of daily releases.
//! The totals scan every member and order (a quarter of a second at 100,000 members), so they
//! are kept for a minute and refreshed in the background while the page shows the copy it has.
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use askama::Template;

use crate::domain::settlement::SettlementStatus;
use crate::graph::settlements::days::{self, SettlementRow};
use crate::graph::{Graph, GraphResult, dashboard};
use crate::http::AppState;
use crate::http::api::ParamsInForce;
use crate::http::pages::chart::{Chart, DayReleases, chart};
use crate::http::pages::format::{local_time, yuan};
use crate::http::pages::{Admin, Chrome, PageResult, html};

const FRESH_FOR: Duration = Duration::from_secs(60);

/// The scheme-wide figures as of `at_ms`.
pub struct Figures {
    at_ms: i64,
    balances: dashboard::Balances,
    orders: dashboard::OrderCounts,
    tiers: Vec<dashboard::TierCount>,
}

/// Figures with when they were computed and the tier thresholds they were ranked by.
struct Computed {
    at: Instant,
    figures: Arc<Figures>,
    thresholds: Vec<i64>,
}

#[derive(Default)]
struct Kept {
    computed: tokio::sync::RwLock<Option<Computed>>,
    refreshing: AtomicBool,
}

#[derive(Clone, Default)]
pub struct Cache(Arc<Kept>);

async fn compute(graph: &Graph, tier_thresholds_fen: &[i64]) -> GraphResult<Figures> {
    Ok(Figures {
        at_ms: chrono::Utc::now().timestamp_millis(),
        balances: dashboard::balances(graph).await?,
        orders: dashboard::orders(graph).await?,
        tiers: dashboard::tiers(graph, tier_thresholds_fen).await?,
    })
}

impl Cache {
    /// The kept figures (refreshed in the background once a minute old), or new ones the first time.
    pub async fn figures(&self, graph: &Graph, tier_thresholds_fen: Vec<i64>) -> GraphResult<Arc<Figures>> {
        if let Some(kept) = self.0.computed.read().await.as_ref() {
            if kept.at.elapsed() > FRESH_FOR {
                self.refresh(graph, tier_thresholds_fen);
            }
            return Ok(kept.figures.clone());
        }
        let figures = Arc::new(compute(graph, &tier_thresholds_fen).await?);
        *self.0.computed.write().await = Some(Computed { at: Instant::now(), figures: figures.clone(), thresholds: tier_thresholds_fen });
        Ok(figures)
    }

    /// Computes new figures in the background, unless that is under way; pages show the kept ones meanwhile.
    fn refresh(&self, graph: &Graph, tier_thresholds_fen: Vec<i64>) {
        if self.0.refreshing.swap(true, Ordering::SeqCst) {
            return;
        }
        let (graph, kept) = (graph.clone(), self.0.clone());
        tokio::spawn(async move {
            match compute(&graph, &tier_thresholds_fen).await {
                Ok(fresh) => {
                    *kept.computed.write().await =
                        Some(Computed { at: Instant::now(), figures: Arc::new(fresh), thresholds: tier_thresholds_fen })
                }
                Err(error) => tracing::warn!(%error, "refreshing the dashboard figures failed"),
            }
            kept.refreshing.store(false, Ordering::SeqCst);
        });
    }

    /// Something the figures count changed from the pages: new figures are computed now, in the
    /// background (a fraction of a second), rather than when the kept ones are a minute old.
    pub async fn changed(&self, graph: &Graph) {
        let thresholds = self.0.computed.read().await.as_ref().map(|kept| kept.thresholds.clone());
        if let Some(thresholds) = thresholds {
            self.refresh(graph, thresholds);
        }
    }
}

pub struct Tile {
    label: &'static str,
    value: String,
    note: String,
}

pub struct TierBar {
    name: String,
    members: i64,
    /// Width in percent of the largest tier's count.
    width: i64,
}

#[derive(Template)]
#[template(path = "admin/dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    tiles: Vec<Tile>,
    tiers: Vec<TierBar>,
    latest: Option<(String, Vec<(&'static str, String)>)>,
    chart: Chart,
    as_of: String,
}

pub async fn page(state: web::Data<AppState>, admin: Admin, req: HttpRequest) -> PageResult {
    let t = admin.t();
    let params = ParamsInForce::today(&state).await.map_err(|e| admin.refused(e))?;
    let figures = state.dashboard.figures(&state.graph, params.tier_thresholds_fen()).await.map_err(|e| admin.refused(e))?;
    let days = days::history(&state.graph, None, 30).await.map_err(|e| admin.refused(e))?;
    let settled: Vec<SettlementRow> = days.into_iter().filter(|d| d.status == SettlementStatus::Settled).collect();
    let b = &figures.balances;
    let tiles = vec![
        Tile { label: t.members, value: b.members.to_string(), note: String::new() },
        Tile {
            label: t.orders,
            value: figures.orders.orders.to_string(),
            note: format!("{} {}", figures.orders.refunded.unwrap_or(0), t.refunded_orders),
        },
        Tile { label: t.points_in_pools, value: yuan(b.pool_fen.unwrap_or(0)), note: String::new() },
        Tile { label: t.available, value: yuan(b.available_fen.unwrap_or(0)), note: String::new() },
        Tile { label: t.frozen, value: yuan(b.frozen_fen.unwrap_or(0)), note: String::new() },
    ];
    let widest = figures.tiers.iter().map(|c| c.members).max().unwrap_or(1).max(1);
    let tiers = figures
        .tiers
        .iter()
        .map(|c| TierBar {
            name: params.tier_name(c.tier_rank).unwrap_or_else(|| t.no_tier.to_string()),
            members: c.members,
            width: c.members * 100 / widest,
        })
        .collect();
    let latest = settled.first().map(|d| (d.day.to_string(), t.kinds().zip(d.totals.map(|m| yuan(m.fen()))).into_array().to_vec()));
    let page = DashboardPage {
        chrome: Chrome::of(&admin, "dashboard", &req),
        tiles,
        tiers,
        latest,
        chart: chart(&settled.iter().map(DayReleases::from).collect::<Vec<_>>()),
        as_of: local_time(figures.at_ms, state.tz, true),
    };
    html(StatusCode::OK, &page)
}
