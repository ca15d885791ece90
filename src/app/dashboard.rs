//! The scheme-wide figures of the console's dashboard, with its to-dos (withdrawals waiting for a
//! decision, today's orders, sales and new members). They scan every member and order (a
//! quarter of a second at 100,000 members), so they are kept for a minute and refreshed in the
//! background while pages show the copy there is.
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::domain::day::BusinessDay;
use crate::graph::{Graph, GraphResult, dashboard};

const FRESH_FOR: Duration = Duration::from_secs(60);

/// The scheme-wide figures as of `at_ms`.
pub struct Figures {
    pub at_ms: i64,
    pub balances: dashboard::Balances,
    pub orders: dashboard::OrderCounts,
    pub pending: dashboard::Pending,
    pub tiers: Vec<dashboard::TierCount>,
}

/// Figures with when they were computed and the tier thresholds they were ranked by.
struct Computed {
    at: Instant,
    figures: Arc<Figures>,
    asked: Asked,
}

/// What the figures are computed for: the tier thresholds they rank by, and the time zone whose
/// today the to-dos count.
#[derive(Clone)]
pub struct Asked {
    pub tier_thresholds_fen: Vec<i64>,
    pub tz: chrono_tz::Tz,
}

#[derive(Default)]
struct Kept {
    computed: tokio::sync::RwLock<Option<Computed>>,
    refreshing: AtomicBool,
}

#[derive(Clone, Default)]
pub struct Cache(Arc<Kept>);

async fn compute(graph: &Graph, asked: &Asked) -> GraphResult<Figures> {
    let now = chrono::Utc::now();
    let today_began_ms = BusinessDay::of(now, asked.tz).start_utc(asked.tz).timestamp_millis();
    Ok(Figures {
        at_ms: now.timestamp_millis(),
        balances: dashboard::balances(graph, today_began_ms).await?,
        orders: dashboard::orders(graph, today_began_ms).await?,
        pending: dashboard::pending_withdrawals(graph).await?,
        tiers: dashboard::tiers(graph, &asked.tier_thresholds_fen).await?,
    })
}

impl Cache {
    /// The kept figures (refreshed in the background once a minute old), or new ones the first time.
    pub async fn figures(&self, graph: &Graph, asked: Asked) -> GraphResult<Arc<Figures>> {
        if let Some(kept) = self.0.computed.read().await.as_ref() {
            if kept.at.elapsed() > FRESH_FOR {
                self.refresh(graph, asked);
            }
            return Ok(kept.figures.clone());
        }
        let figures = Arc::new(compute(graph, &asked).await?);
        *self.0.computed.write().await = Some(Computed { at: Instant::now(), figures: figures.clone(), asked });
        Ok(figures)
    }

    /// Computes new figures in the background, unless that is under way; pages show the kept ones meanwhile.
    fn refresh(&self, graph: &Graph, asked: Asked) {
        if self.0.refreshing.swap(true, Ordering::SeqCst) {
            return;
        }
        let (graph, kept) = (graph.clone(), self.0.clone());
        tokio::spawn(async move {
            match compute(&graph, &asked).await {
                Ok(fresh) => *kept.computed.write().await = Some(Computed { at: Instant::now(), figures: Arc::new(fresh), asked }),
                Err(error) => tracing::warn!(%error, "refreshing the dashboard figures failed"),
            }
            kept.refreshing.store(false, Ordering::SeqCst);
        });
    }

    /// Something the figures count changed from the pages: new figures are computed now, in the
    /// background (a fraction of a second), rather than when the kept ones are a minute old.
    pub async fn changed(&self, graph: &Graph) {
        let asked = self.0.computed.read().await.as_ref().map(|kept| kept.asked.clone());
        if let Some(asked) = asked {
            self.refresh(graph, asked);
        }
    }
}
