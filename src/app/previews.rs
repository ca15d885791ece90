//! The console's settlement preview, summed for its page: the totals, how many members are paid
//! and the largest payouts of the next unsettled day, computed without writing anything.
//! Computing it reads the whole tree and every live order (seconds at 100,000 members), so each
//! server keeps its last summary and the page says when it was computed: once it is a minute old
//! the next ask still gets it and a new one is computed in the background. A run, or a settled
//! day, moves the preview on to another day, which is computed while the page waits.
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, TimeDelta, Utc};

use super::Application;
use super::settle::{self, SettleError};
use crate::domain::amounts::ByKind;
use crate::domain::day::BusinessDay;
use crate::domain::money::Money;
use crate::graph::Graph;
use crate::graph::settlements::statements::PayoutAmounts;

/// How old a summary may be before an ask has a new one computed.
pub const FRESH_FOR: TimeDelta = TimeDelta::minutes(1);

/// The largest payouts a summary keeps (the totals cover everyone).
pub const LARGEST_KEPT: usize = 100;

pub struct Summary {
    pub day: BusinessDay,
    pub params_version: i64,
    pub computed_at: DateTime<Utc>,
    /// Summed over every member, in fen.
    pub totals: ByKind<i64>,
    pub members_paid: usize,
    /// The largest payouts, the largest first (equal ones by phone).
    pub largest: Vec<PayoutAmounts>,
}

/// The last summary this server computed, and whether a new one is being computed.
#[derive(Clone, Default)]
pub struct Previews(Arc<Kept>);

#[derive(Default)]
struct Kept {
    summary: tokio::sync::Mutex<Option<Arc<Summary>>>,
    refreshing: AtomicBool,
}

impl Previews {
    /// The preview of `day`: refused as [`settle::preview`] refuses (checked at every ask, so a
    /// run under way is said at once); the kept one when it is of `day` (computed anew in the
    /// background once [`FRESH_FOR`] old), else computed now. Asks that come while one computes
    /// now wait for it.
    pub async fn of(&self, app: &Application, day: BusinessDay) -> Result<Arc<Summary>, SettleError> {
        let now = app.now();
        settle::may_preview(&app.graph, app.tz, day, now).await?;
        let mut kept = self.0.summary.lock().await;
        if let Some(summary) = kept.as_ref().filter(|s| s.day == day) {
            if now - summary.computed_at >= FRESH_FOR {
                self.refresh(app, day);
            }
            return Ok(summary.clone());
        }
        let summary = Arc::new(compute(&app.graph, app.tz, day, now).await?);
        *kept = Some(summary.clone());
        Ok(summary)
    }

    /// Computes the preview of `day` in the background, unless that is under way; a run or a
    /// settled day meanwhile makes it refused, and the kept one stays.
    fn refresh(&self, app: &Application, day: BusinessDay) {
        if self.0.refreshing.swap(true, Ordering::SeqCst) {
            return;
        }
        let (graph, tz, now, kept) = (app.graph.without_deadline(), app.tz, app.now(), self.0.clone());
        tokio::spawn(async move {
            match compute(&graph, tz, day, now).await {
                Ok(fresh) => *kept.summary.lock().await = Some(Arc::new(fresh)),
                Err(error) => tracing::info!(%error, %day, "the settlement preview was not computed again"),
            }
            kept.refreshing.store(false, Ordering::SeqCst);
        });
    }
}

async fn compute(graph: &Graph, tz: chrono_tz::Tz, day: BusinessDay, now: DateTime<Utc>) -> Result<Summary, SettleError> {
    summarise(&settle::preview(graph, tz, day, now).await?, now)
}

fn summarise(computed: &settle::Computed, now: DateTime<Utc>) -> Result<Summary, SettleError> {
    let corrupt = |e| SettleError::Graph(crate::graph::GraphError::Corrupt(format!("a computed amount: {e}")));
    let mut payouts = computed
        .with_movement()
        .map(|i| {
            let fen = computed.result.members[i].amounts();
            Ok(PayoutAmounts {
                phone: computed.snapshot.phones[i].clone(),
                amounts: fen.try_map(Money::from_fen)?,
                credited: Money::from_fen(fen.credited())?,
            })
        })
        .collect::<Result<Vec<_>, crate::domain::money::MoneyError>>()
        .map_err(corrupt)?;
    let totals: ByKind<i64> = payouts.iter().map(|p| p.amounts.map(Money::fen)).sum();
    payouts.sort_by(|a, b| b.credited.cmp(&a.credited).then_with(|| a.phone.cmp(&b.phone)));
    payouts.truncate(LARGEST_KEPT);
    Ok(Summary {
        day: computed.day,
        params_version: computed.params_version,
        computed_at: now,
        totals,
        members_paid: computed.members_paid(),
        largest: payouts,
    })
}
