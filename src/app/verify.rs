//! `verify`: the conservation rules of SPEC §4 checked over the whole database.
//!
//! - every order: granted = released + remaining + refunded, as written;
//! - every member: the pool is what its live orders still hold after the latest settled day;
//!   what its orders released equals what its statements credited; available and frozen equal
//!   the sums of its ledger movements (statements are the settlement's movements), and its credit
//!   (what settlements moved from its pool to available, kept apart so that a settlement's writes
//!   never meet an intake's on one node) equals what its statements credited;
//! - every settled day: its recorded totals equal the sums of its statements;
//! - every member: its own cash and points volume is that of its live orders, and its team
//!   aggregates (cash, points, size) are the sums over everyone below it in the stored tree;
//! - nothing is negative, no settlement was left running and no settled day's fence left open.
use std::collections::HashMap;

use serde::Deserialize;

use crate::cypher;
use crate::domain::amounts::ByKind;
use crate::domain::day::BusinessDay;
use crate::domain::money::Money;
use crate::domain::settlement::SettlementStatus;
use crate::graph::settlements::days;
use crate::graph::{Graph, GraphResult, orders};

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
    /// Granted by live orders, less what refunds took out of the pool.
    granted_pool_fen: i64,
    /// The sum of the ledger movements of available points.
    moved_fen: i64,
    /// All that settlements moved from the pool to available.
    credited_fen: i64,
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
    points_paid_fen: i64,
    start_day: String,
    granted_fen: i64,
    released_fen: i64,
    remaining_fen: i64,
    remaining_day: Option<String>,
    refunded: bool,
    refund_pending: bool,
    refunded_fen: i64,
}

#[derive(Deserialize)]
struct TreeMember {
    phone: String,
    sponsor_phone: Option<String>,
    own_cash_fen: i64,
    own_points_fen: i64,
    team_cash_fen: i64,
    team_points_fen: i64,
    team_size: i64,
    counted_cash_fen: i64,
    counted_points_fen: i64,
    counted_self: bool,
}

impl TreeMember {
    /// What of the member its uplines' teams count (the team fold may not have counted its latest changes yet).
    fn counted(&self) -> Volume {
        Volume { cash_fen: self.counted_cash_fen, points_fen: self.counted_points_fen, members: i64::from(self.counted_self) }
    }
}

/// Cash and points volume, and a count of members.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Volume {
    cash_fen: i64,
    points_fen: i64,
    members: i64,
}

impl std::ops::AddAssign for Volume {
    fn add_assign(&mut self, other: Volume) {
        self.cash_fen += other.cash_fen;
        self.points_fen += other.points_fen;
        self.members += other.members;
    }
}

/// What stands strictly below each member of the stored tree, as counted (each member's
/// [`TreeMember::counted`]); `Err` with a member of a cycle when the tree has one.
fn teams(members: &[TreeMember]) -> Result<HashMap<String, Volume>, String> {
    let index: HashMap<&str, usize> = members.iter().enumerate().map(|(i, m)| (m.phone.as_str(), i)).collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); members.len()];
    let mut roots = Vec::new();
    for (i, member) in members.iter().enumerate() {
        match member.sponsor_phone.as_deref().and_then(|s| index.get(s)) {
            Some(&sponsor) => children[sponsor].push(i),
            None => roots.push(i),
        }
    }
    // Members in an order where each comes after its sponsor; every member reached once, unless
    // a cycle cuts some off from every root.
    let mut order = Vec::with_capacity(members.len());
    let mut stack = roots;
    while let Some(i) = stack.pop() {
        order.push(i);
        stack.extend(&children[i]);
    }
    if order.len() != members.len() {
        let reached: std::collections::HashSet<usize> = order.iter().copied().collect();
        let cut_off = (0..members.len()).find(|i| !reached.contains(i)).expect("a member was not reached");
        return Err(members[cut_off].phone.clone());
    }
    let mut below = vec![Volume::default(); members.len()];
    for &i in order.iter().rev() {
        let with_self = members[i].counted();
        if let Some(&sponsor) = members[i].sponsor_phone.as_deref().and_then(|s| index.get(s)) {
            let mut carried = below[i];
            carried += with_self;
            below[sponsor] += carried;
        }
    }
    Ok(members.iter().zip(below).map(|(m, v)| (m.phone.clone(), v)).collect())
}

#[derive(Deserialize)]
struct DaySums {
    day: BusinessDay,
    /// In fen.
    #[serde(flatten)]
    amounts: ByKind<i64>,
    statements: i64,
}

/// Every violation found; empty when the books balance.
pub async fn verify(graph: &Graph) -> GraphResult<Vec<Violation>> {
    let mut found = Vec::new();
    let mut violation = |rule: &'static str, subject: &str, detail: String| {
        found.push(Violation { rule, subject: subject.to_string(), detail });
    };
    if let Some(running) = days::running(graph).await? {
        violation("settlement_unfinished", &running.day.to_string(), "a run stopped halfway; settle again to finish it".into());
    }
    if let Some(closing) = crate::graph::fence::open_settled_day(graph).await? {
        let detail = "the run stopped before its fence recorded the day; settle again or start the server to close it".into();
        violation("fence_open", &closing.to_string(), detail);
    }
    let calendar = days::calendar(graph).await?;
    let through = calendar.last_settled();

    // Per member: what the live orders still hold, and what all orders released.
    let mut pools: HashMap<String, i64> = HashMap::new();
    let mut released: HashMap<String, i64> = HashMap::new();
    let mut own: HashMap<String, (i64, i64)> = HashMap::new();
    for order in graph.rows::<OrderFigures>(cypher!("verify/orders")).await? {
        if !order.refunded {
            let volume = own.entry(order.phone.clone()).or_default();
            volume.0 += order.amount_fen - order.points_paid_fen;
            volume.1 += order.points_paid_fen;
        }
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
        // A refund that arrived while a day was settling keeps its points in the pool until that
        // day is settled (only while a run is unfinished, which is reported above).
        let holds_points = !order.refunded || order.refund_pending;
        if holds_points && order.refunded_fen != 0 {
            violation("order_conservation", &subject, "a live order has refunded points".into());
        }
        let remaining_now = match (holds_points, through) {
            (false, _) | (true, None) => order.remaining_fen,
            (true, Some(through)) => {
                let as_of = orders::written_as_of(&order.order_id, order.remaining_day.as_deref(), &order.start_day)?;
                calendar.remaining(order.amount_fen, order.remaining_fen, as_of, through)
            }
        };
        if holds_points {
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
        let (pool_fen, available_fen) = (member.granted_pool_fen - member.credited_fen, member.moved_fen + member.credited_fen);
        if pool_fen < 0 || available_fen < 0 || member.frozen_fen < 0 {
            violation("negative", &subject, "a balance is negative".into());
        }
        let pool = pools.get(&member.phone).copied().unwrap_or(0);
        if pool_fen != pool {
            violation("pool", &subject, format!("pool {pool_fen} ≠ {pool} still in the live orders"));
        }
        let credit = credited.get(&member.phone).copied().unwrap_or(0);
        let release = released.get(&member.phone).copied().unwrap_or(0);
        if release != credit {
            violation("released_equals_credited", &subject, format!("orders released {release} ≠ statements credited {credit}"));
        }
        if member.credited_fen != credit {
            violation("credit", &subject, format!("credit {} ≠ statements credited {credit}", member.credited_fen));
        }
        let (moved_available, moved_frozen) = movements.get(&member.phone).copied().unwrap_or((0, 0));
        if member.moved_fen != moved_available {
            violation("available", &subject, format!("available less credit {} ≠ movements {moved_available}", member.moved_fen));
        }
        if member.frozen_fen != moved_frozen {
            violation("frozen", &subject, format!("frozen {} ≠ movements {}", member.frozen_fen, moved_frozen));
        }
    }
    let tree = graph.rows::<TreeMember>(cypher!("verify/tree")).await?;
    match teams(&tree) {
        Err(phone) => violation("tree", &format!("member {phone}"), "the member stands in a cycle of sponsors".into()),
        Ok(teams) => {
            for member in &tree {
                let subject = format!("member {}", member.phone);
                let (cash_fen, points_fen) = own.get(&member.phone).copied().unwrap_or((0, 0));
                if (member.own_cash_fen, member.own_points_fen) != (cash_fen, points_fen) {
                    violation(
                        "own_volume",
                        &subject,
                        format!(
                            "own cash/points {}/{} ≠ its live orders' {cash_fen}/{points_fen}",
                            member.own_cash_fen, member.own_points_fen
                        ),
                    );
                }
                let stored = Volume { cash_fen: member.team_cash_fen, points_fen: member.team_points_fen, members: member.team_size };
                let summed = teams.get(&member.phone).copied().unwrap_or_default();
                if stored != summed {
                    violation("team_aggregates", &subject, format!("team {stored:?} ≠ summed below it {summed:?}"));
                }
            }
        }
    }
    let sums: HashMap<BusinessDay, DaySums> =
        graph.rows::<DaySums>(cypher!("verify/settlement_totals")).await?.into_iter().map(|d| (d.day, d)).collect();
    for settlement in days::history(graph, None, ALL_DAYS).await? {
        if settlement.status != SettlementStatus::Settled {
            continue;
        }
        let recorded = (settlement.totals.map(Money::fen), settlement.statements);
        let summed = sums.get(&settlement.day).map_or((ByKind::default(), 0), |d| (d.amounts, d.statements));
        if recorded != summed {
            violation("settlement_totals", &settlement.day.to_string(), format!("recorded {recorded:?} ≠ statements {summed:?}"));
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(phone: &str, sponsor: Option<&str>) -> TreeMember {
        TreeMember {
            phone: phone.into(),
            sponsor_phone: sponsor.map(Into::into),
            own_cash_fen: 0,
            own_points_fen: 0,
            team_cash_fen: 0,
            team_points_fen: 0,
            team_size: 0,
            counted_cash_fen: 0,
            counted_points_fen: 0,
            counted_self: true,
        }
    }

    fn counted(mut member: TreeMember, cash_fen: i64, points_fen: i64) -> TreeMember {
        (member.counted_cash_fen, member.counted_points_fen) = (cash_fen, points_fen);
        member
    }

    #[test]
    fn a_team_is_everything_strictly_below_a_member() {
        let tree = [
            member("a", None),
            counted(member("b", Some("a")), 100, 10),
            counted(member("c", Some("b")), 5, 0),
            counted(member("d", Some("a")), 1, 1),
        ];
        let teams = teams(&tree).unwrap();
        assert_eq!(teams["a"], Volume { cash_fen: 106, points_fen: 11, members: 3 });
        assert_eq!(teams["b"], Volume { cash_fen: 5, points_fen: 0, members: 1 });
        assert_eq!(teams["c"], Volume::default());
    }

    #[test]
    fn a_cycle_of_sponsors_is_reported() {
        let tree = [member("a", None), member("b", Some("c")), member("c", Some("b"))];
        assert!(teams(&tree).is_err());
    }
}
