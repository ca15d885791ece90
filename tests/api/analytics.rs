//! Property tests: on random networks changed by random orders, refunds and sponsor changes, the
//! Cypher analytics (the maintained aggregates, the tier ranks, and the walk over the whole tree
//! below a member) equal a plain Rust computation on the same data.
// Amounts in fen are written yuan_fen: 3_000_00 is 3000.00.
#![allow(clippy::inconsistent_digit_grouping)]
use chrono::Utc;
use greenpoints::app::adjustments::Adjustment;
use greenpoints::app::members::Registration;
use greenpoints::app::orders::OrderRequest;
use greenpoints::app::{self, AppError};
use greenpoints::domain::audit::{Actor, Detail};
use greenpoints::domain::day::BusinessDay;
use greenpoints::domain::error_code::ErrorCode;
use greenpoints::domain::money::{Money, SignedMoney};
use greenpoints::domain::order_id::OrderId;
use greenpoints::domain::params::Params;
use greenpoints::domain::phone::Phone;
use greenpoints::graph::Graph;
use greenpoints::graph::members;
use proptest::prelude::*;

use crate::helpers::{application, fresh_graph};

const TESTER: Actor = Actor::CommandLine;

fn registration(member: usize, sponsor: Option<usize>) -> Registration {
    Registration { phone: phone(member), sponsor: sponsor.map(phone), name: None, password: None, origin: Detail::default() }
}

/// The plain model: sponsors by index and orders with their split and refund state.
#[derive(Default)]
struct Model {
    sponsors: Vec<Option<usize>>,
    orders: Vec<ModelOrder>,
}

struct ModelOrder {
    member: usize,
    cash_fen: i64,
    points_fen: i64,
    refunded: bool,
}

impl Model {
    fn uplines(&self, member: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut at = self.sponsors[member];
        while let Some(u) = at {
            out.push(u);
            at = self.sponsors[u];
        }
        out
    }

    /// (team cash, team points, team size) of every member, by walking up from every order and member.
    fn teams(&self) -> Vec<(i64, i64, i64)> {
        let mut teams = vec![(0, 0, 0); self.sponsors.len()];
        for order in self.orders.iter().filter(|o| !o.refunded) {
            for u in self.uplines(order.member) {
                teams[u].0 += order.cash_fen;
                teams[u].1 += order.points_fen;
            }
        }
        for member in 0..self.sponsors.len() {
            for u in self.uplines(member) {
                teams[u].2 += 1;
            }
        }
        teams
    }
}

fn phone(index: usize) -> Phone {
    Phone::parse(&format!("139{index:08}")).unwrap()
}

#[derive(Clone, Debug)]
enum Op {
    Join { sponsor: usize },
    Order { member: usize, amount_fen: i64, points_paid_percent: i64 },
    Refund { order: usize },
    Move { member: usize, sponsor: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => any::<usize>().prop_map(|sponsor| Op::Join { sponsor }),
        4 => (any::<usize>(), prop::sample::select(vec![100_00, 2_999_99, 3_000_00, 9_000_00, 27_000_00, 51_000_00, 123_456_78]), prop::sample::select(vec![0, 0, 10, 50]))
            .prop_map(|(member, amount_fen, points_paid_percent)| Op::Order { member, amount_fen, points_paid_percent }),
        1 => any::<usize>().prop_map(|order| Op::Refund { order }),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(member, sponsor)| Op::Move { member, sponsor }),
    ]
}

async fn place_order(graph: &Graph, model: &mut Model, member: usize, amount_fen: i64, points_fen: i64, paid_at_ms: i64) {
    let index = model.orders.len();
    let order = OrderRequest {
        order_id: OrderId::parse(&format!("P-{index}")).unwrap(),
        phone: phone(member),
        amount: Money::from_fen(amount_fen).unwrap(),
        points_paid: Money::from_fen(points_fen).unwrap(),
        paid_at: chrono::DateTime::from_timestamp_millis(paid_at_ms).unwrap(),
    };
    app::orders::intake(&application(graph), &greenpoints::domain::audit::Actor::CommandLine, order).await.unwrap();
    model.orders.push(ModelOrder { member, cash_fen: amount_fen - points_fen, points_fen, refunded: false });
}

async fn apply(graph: &Graph, model: &mut Model, op: Op, paid_at_ms: i64) {
    let app = application(graph);
    let members_count = model.sponsors.len();
    match op {
        Op::Join { sponsor } => {
            let sponsor = sponsor % members_count;
            app::members::register(&app, &TESTER, registration(members_count, Some(sponsor))).await.unwrap();
            model.sponsors.push(Some(sponsor));
        }
        Op::Order { member, amount_fen, points_paid_percent } => {
            let member = member % members_count;
            let points_fen = amount_fen * points_paid_percent / 100;
            if points_fen > 0 {
                let amount = SignedMoney::from_fen(points_fen).unwrap();
                let adjustment = Adjustment::parse(phone(member), amount, "test", None).unwrap();
                app::adjustments::adjust(&app, &TESTER, adjustment).await.unwrap();
            }
            place_order(graph, model, member, amount_fen, points_fen, paid_at_ms).await;
        }
        Op::Refund { order } => {
            if model.orders.is_empty() {
                return;
            }
            let order = order % model.orders.len();
            app::orders::refund(&app, &TESTER, &OrderId::parse(&format!("P-{order}")).unwrap()).await.unwrap();
            model.orders[order].refunded = true;
        }
        Op::Move { member, sponsor } => {
            let (member, sponsor) = (member % members_count, sponsor % members_count);
            let result = app::members::change_sponsor(&app, &TESTER, &phone(member), &phone(sponsor)).await;
            let cycle = member == sponsor || model.uplines(sponsor).contains(&member);
            if cycle {
                assert_eq!(
                    result.as_ref().err().and_then(AppError::refusal),
                    Some(ErrorCode::SponsorCycle),
                    "moving {member} under {sponsor}: {result:?}"
                );
            } else {
                result.unwrap();
                model.sponsors[member] = Some(sponsor);
            }
        }
    }
}

/// Compares the graph's figures for `members` with the model's.
/// A day every order recorded so far takes part in.
fn tomorrow() -> BusinessDay {
    BusinessDay::of(Utc::now(), chrono_tz::Asia::Shanghai).succ()
}

async fn assert_matches(graph: &Graph, model: &Model, members: impl IntoIterator<Item = usize>, day: BusinessDay) {
    greenpoints::app::teams::fold_now(graph).await.unwrap();
    let params = Params::defaults(greenpoints::graph::params::beginning());
    let thresholds: Vec<i64> = params.team_tiers().iter().map(|t| t.min_volume.fen()).collect();
    let teams = model.teams();
    for member in members {
        let (cash, points, size) = teams[member];
        let row = members::summary(graph, &phone(member), &thresholds).await.unwrap().unwrap();
        assert_eq!((row.team_cash_fen, row.team_points_fen, row.team_size), (cash, points, size), "aggregates of member {member}");
        let expected_rank = params.tier_index(Money::from_fen(cash + points).unwrap()).map_or(0, |i| i as i64 + 1);
        assert_eq!(row.tier_rank, expected_rank, "tier of member {member} at volume {}", cash + points);
        let walked = members::team_volume_on_day(graph, &phone(member), day).await.unwrap();
        assert_eq!(walked, (cash, points), "team volume of member {member} by the walk over its downline");
        let direct = model.sponsors.iter().filter(|s| **s == Some(member)).count() as i64;
        assert_eq!(row.direct_count, direct, "direct referrals of member {member}");
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn cypher_team_volumes_and_tiers_equal_a_plain_computation_on_random_networks(ops in prop::collection::vec(op(), 1..60)) {
        runtime().block_on(async {
            let (graph, _db) = fresh_graph().await;
            let mut model = Model::default();
            app::members::register(&application(&graph), &TESTER, registration(0, None)).await.unwrap();
            model.sponsors.push(None);
            let paid_at_ms = Utc::now().timestamp_millis() - 86_400_000;
            for op in ops {
                apply(&graph, &mut model, op, paid_at_ms).await;
            }
            let everyone = 0..model.sponsors.len();
            assert_matches(&graph, &model, everyone, tomorrow()).await;
        });
    }
}

/// A chain `depth` long (member i sponsored by i − 1) with a few side branches, written in bulk.
async fn write_chain(graph: &Graph, model: &mut Model, depth: usize, branches: &[usize]) {
    use greenpoints::domain::network::{Network, SeedMember};
    model.sponsors = (0..depth).map(|i| i.checked_sub(1)).collect();
    model.sponsors.extend(branches.iter().map(|b| Some(b % depth)));
    let members =
        model.sponsors.iter().enumerate().map(|(i, sponsor)| SeedMember { phone: phone(i), sponsor: *sponsor, created_at_ms: 0 }).collect();
    greenpoints::graph::seed::write_members(graph, &Network { members, orders: Vec::new() }, |_| ()).await.unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3, ..ProptestConfig::default() })]

    #[test]
    fn cypher_team_volumes_and_tiers_hold_on_chains_thousands_deep(
        depth in 1000usize..2500,
        branches in prop::collection::vec(any::<usize>(), 0..20),
        ops in prop::collection::vec(op(), 1..12),
        samples in prop::collection::vec(any::<usize>(), 8),
    ) {
        runtime().block_on(async {
            let (graph, _db) = fresh_graph().await;
            let mut model = Model::default();
            write_chain(&graph, &mut model, depth, &branches).await;
            let paid_at_ms = Utc::now().timestamp_millis() - 86_400_000;
            // An order at the very bottom reaches every member of the chain.
            place_order(&graph, &mut model, depth - 1, 60_000_00, 0, paid_at_ms).await;
            for op in ops {
                let op = match op {
                    // Joins at random on a deep chain would each walk thousands of uplines; keep the chain.
                    Op::Join { sponsor } => Op::Order { member: sponsor, amount_fen: 9_000_00, points_paid_percent: 0 },
                    other => other,
                };
                apply(&graph, &mut model, op, paid_at_ms).await;
            }
            let count = model.sponsors.len();
            let sampled = [0, 1, depth / 2, depth - 1, count - 1].into_iter().chain(samples.iter().map(|s| s % count));
            assert_matches(&graph, &model, sampled, tomorrow()).await;
        });
    }
}
