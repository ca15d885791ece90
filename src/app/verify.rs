//! `verify`: the conservation rules of SPEC §4 checked over the whole database.
//!
//! - every order: granted = released + remaining + refunded, as written;
//! - every member: the pool is what its live orders still hold after the latest settled day;
//!   what its orders released equals what its statements credited; available and frozen equal
//!   the sums of its ledger movements (statements are the settlement's movements);
//! - every settled day: its recorded totals equal the sums of its statements;
//! - nothing is negative, and no settlement was left running.
use std::collections::HashMap;

use chrono_tz::Tz;
use serde::Deserialize;

use crate::cypher;
use crate::graph::{Graph, GraphResult, orders, settlements};

/// More days than any scheme settles (ArcadeDB refuses a LIMIT near `i32::MAX`).
const ALL_DAYS: i64 = 1_000_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// A stable name of the rule broken.
    pub rule: &'static str,
    /// The member, order or day it concerns.
    pub subject: String,
    pub detail: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.rule, self.subject, self.detail)
    }
}

#[derive(Deserialize)]
struct MemberBalances {
    phone: String,
    pool_fen: i64,
    available_fen: i64,
    frozen_fen: i64,
}

#[derive(Deserialize)]
struct MovementSums {
    phone: String,
    available_fen: i64,
    frozen_fen: i64,
}

#[derive(Deserialize)]
struct StatementSums {
    phone: String,
    credited_fen: i64,
    lowest_fen: i64,
}

#[derive(Deserialize)]
struct OrderFigures {
    phone: String,
    order_id: String,
    amount_fen: i64,
    paid_at_ms: i64,
    granted_fen: i64,
    released_fen: i64,
    remaining_fen: i64,
    remaining_day: Option<String>,
    refunded: bool,
    refunded_fen: i64,
}

#[derive(Deserialize)]
struct DaySums {
    day: String,
    static_fen: i64,
    share_g1_fen: i64,
    share_g2_fen: i64,
    team_fen: i64,
    peer_fen: i64,
    forfeited_fen: i64,
    statements: i64,
}

/// Every violation found; empty when the books balance.
pub async fn verify(graph: &Graph, tz: Tz) -> GraphResult<Vec<Violation>> {
    let mut found = Vec::new();
    let mut violation = |rule: &'static str, subject: &str, detail: String| {
        found.push(Violation { rule, subject: subject.to_string(), detail });
    };
    if let Some(running) = settlements::running(graph).await? {
        violation("settlement_unfinished", &running.day, "a run stopped halfway; settle again to finish it".into());
    }
    let calendar = settlements::calendar(graph).await?;
    let through = calendar.last_settled();

    // Per member: what the live orders still hold, and what all orders released.
    let mut pools: HashMap<String, i64> = HashMap::new();
    let mut released: HashMap<String, i64> = HashMap::new();
    for order in graph.rows::<OrderFigures>(cypher!("verify/orders")).await? {
        let subject = format!("order {}", order.order_id);
        if order.granted_fen != order.released_fen + order.remaining_fen + order.refunded_fen {
            violation(
                "order_conservation",
                &subject,
                format!(
                    "granted {} ≠ released {} + remaining {} + refunded {}",
                    order.granted_fen, order.released_fen, order.remaining_fen, order.refunded_fen
                ),
            );
        }
        if [order.released_fen, order.remaining_fen, order.refunded_fen].iter().any(|&f| f < 0) {
            violation("negative", &subject, "a figure of the order is negative".into());
        }
        if !order.refunded && order.refunded_fen != 0 {
            violation("order_conservation", &subject, "a live order has refunded points".into());
        }
        let remaining_now = match (order.refunded, through) {
            (true, _) | (false, None) => order.remaining_fen,
            (false, Some(through)) => {
                let as_of = orders::written_as_of(&order.order_id, order.remaining_day.as_deref(), order.paid_at_ms, tz)?;
                calendar.remaining(order.amount_fen, order.remaining_fen, as_of, through)
            }
        };
        if !order.refunded {
            *pools.entry(order.phone.clone()).or_default() += remaining_now;
        }
        *released.entry(order.phone).or_default() += order.granted_fen - order.refunded_fen - remaining_now;
    }
    let movements: HashMap<String, (i64, i64)> = graph
        .rows::<MovementSums>(cypher!("verify/movements"))
        .await?
        .into_iter()
        .map(|m| (m.phone, (m.available_fen, m.frozen_fen)))
        .collect();
    let mut credited: HashMap<String, i64> = HashMap::new();
    for sums in graph.rows::<StatementSums>(cypher!("verify/statements")).await? {
        if sums.lowest_fen < 0 {
            violation("negative", &format!("member {}", sums.phone), "a statement has a negative figure".into());
        }
        credited.insert(sums.phone, sums.credited_fen);
    }
    for member in graph.rows::<MemberBalances>(cypher!("verify/members")).await? {
        let subject = format!("member {}", member.phone);
        if member.pool_fen < 0 || member.available_fen < 0 || member.frozen_fen < 0 {
            violation("negative", &subject, "a balance is negative".into());
        }
        let pool = pools.get(&member.phone).copied().unwrap_or(0);
        if member.pool_fen != pool {
            violation("pool", &subject, format!("pool {} ≠ {} still in the live orders", member.pool_fen, pool));
        }
        let credit = credited.get(&member.phone).copied().unwrap_or(0);
        let release = released.get(&member.phone).copied().unwrap_or(0);
        if release != credit {
            violation("released_equals_credited", &subject, format!("orders released {release} ≠ statements credited {credit}"));
        }
        let (moved_available, moved_frozen) = movements.get(&member.phone).copied().unwrap_or((0, 0));
        if member.available_fen != moved_available + credit {
            violation(
                "available",
                &subject,
                format!("available {} ≠ movements {} + statements {}", member.available_fen, moved_available, credit),
            );
        }
        if member.frozen_fen != moved_frozen {
            violation("frozen", &subject, format!("frozen {} ≠ movements {}", member.frozen_fen, moved_frozen));
        }
    }
    let sums: HashMap<String, DaySums> =
        graph.rows::<DaySums>(cypher!("verify/settlement_totals")).await?.into_iter().map(|d| (d.day.clone(), d)).collect();
    for settlement in settlements::history(graph, None, ALL_DAYS).await? {
        if settlement.status != "settled" {
            continue;
        }
        let recorded = (
            settlement.static_fen,
            settlement.share_g1_fen,
            settlement.share_g2_fen,
            settlement.team_fen,
            settlement.peer_fen,
            settlement.forfeited_fen,
            settlement.statements,
        );
        let summed = sums.get(&settlement.day).map_or((0, 0, 0, 0, 0, 0, 0), |d| {
            (d.static_fen, d.share_g1_fen, d.share_g2_fen, d.team_fen, d.peer_fen, d.forfeited_fen, d.statements)
        });
        if recorded != summed {
            violation("settlement_totals", &settlement.day, format!("recorded {recorded:?} ≠ statements {summed:?}"));
        }
    }
    Ok(found)
}
