//! Settled days' payouts kept in memory for the console's tables sorted by an amount.
use std::sync::Arc;

use crate::domain::day::BusinessDay;
use crate::graph::settlements::statements::{self as statement_rows, PayoutAmounts};
use crate::graph::{Graph, GraphResult};

/// Settled days whose payouts are kept (settled days never change).
const DAYS_KEPT: usize = 3;

/// Settled days' payouts read whole, for sorting by an amount: the first such page of a day
/// reads it (about a third of a second at 100,000 members), the next pages find it here. The
/// server reads the latest settled day ahead of any request (`http::pages::admin::keep_warm`).
#[derive(Clone, Default)]
pub struct SortedDays(Arc<tokio::sync::Mutex<Vec<SortedDay>>>);

/// A settled day and its payouts by phone.
type SortedDay = (BusinessDay, Arc<Vec<PayoutAmounts>>);

impl SortedDays {
    /// A settled day's payouts by phone (settled days never change).
    pub async fn day(&self, graph: &Graph, day: BusinessDay) -> GraphResult<Arc<Vec<PayoutAmounts>>> {
        let mut days = self.0.lock().await;
        if let Some((_, rows)) = days.iter().find(|(d, _)| *d == day) {
            return Ok(rows.clone());
        }
        let rows = Arc::new(statement_rows::day_amounts(graph, day).await?);
        days.insert(0, (day, rows.clone()));
        days.truncate(DAYS_KEPT);
        Ok(rows)
    }
}
