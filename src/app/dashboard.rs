//! The scheme-wide figures of the console's dashboard. They scan every member and order (a
//! quarter of a second at 100,000 members), so they are kept for a minute and refreshed in the
//! background while pages show the copy there is.
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::graph::{Graph, GraphResult, dashboard};

const FRESH_FOR: Duration = Duration::from_secs(60);

/// The scheme-wide figures as of `at_ms`.
pub struct Figures {
    pub at_ms: i64,
    pub balances: dashboard::Balances,
    pub orders: dashboard::OrderCounts,
    pub tiers: Vec<dashboard::TierCount>,
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
