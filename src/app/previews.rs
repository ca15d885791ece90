//! The console's settlement preview, summed for its page: the totals, how many members are paid
//! and the largest payouts of the next unsettled day, computed without writing anything.
//! Computing it reads the whole tree and every live order (seconds at 100,000 members), so each
//! server keeps its last summary for a minute and the page says when it was computed; a run, or a
//! settled day, moves the preview on to another day, which is computed afresh.
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};

use super::Application;
use super::settle::{self, SettleError};
use crate::domain::amounts::ByKind;
use crate::domain::day::BusinessDay;
use crate::domain::money::Money;
use crate::graph::settlements::statements::PayoutAmounts;

/// How long a summary is shown before it is computed again.
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

/// The last summary this server computed.
#[derive(Default)]
pub struct Previews(tokio::sync::Mutex<Option<Arc<Summary>>>);

impl Previews {
    /// The preview of `day` as of at most [`FRESH_FOR`] ago: refused as [`settle::preview`]
    /// refuses (checked at every ask, so a run under way is said at once), computed when the
    /// kept one is of another day or older. Asks that come while one computes wait for it.
    pub async fn of(&self, app: &Application, day: BusinessDay) -> Result<Arc<Summary>, SettleError> {
        let now = app.now();
        settle::may_preview(&app.graph, app.tz, day, now).await?;
        let mut kept = self.0.lock().await;
        if let Some(summary) = kept.as_ref().filter(|s| s.day == day && now - s.computed_at < FRESH_FOR) {
            return Ok(summary.clone());
        }
        let computed = settle::preview(&app.graph, app.tz, day, now).await?;
        let summary = Arc::new(summarise(&computed, now)?);
        *kept = Some(summary.clone());
        Ok(summary)
    }
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
