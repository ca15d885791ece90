//! Property tests of the settlement on the real database: random networks (deep chains and bushy
//! parts from the seed generator, stars) under a random hold (`hold_days` 0 to 2), refunds and
//! sponsor changes between days. Each case runs the same history twice, once settled straight
//! through and once stopped after a few batches of each day and settled again; after every day
//! both must pass `verify` and have the same statements, and the engine's team volume and tier of
//! every member must equal the Cypher analytics (the walk over the orders that start before the
//! day and, without a hold, the maintained team aggregates too).
use chrono::Utc;
use greenpoints::app;
use greenpoints::app::settle::{self, Options, SettleError};
use greenpoints::app::verify;
use greenpoints::domain::audit::Actor;
use greenpoints::domain::day::BusinessDay;
use greenpoints::domain::network::{DAY_MS, Network};
use greenpoints::domain::order_id::OrderId;
use greenpoints::domain::phone::Phone;
use greenpoints::graph::settlements::statements::{self, StatementRow};
use greenpoints::graph::{Graph, members, params, seed};
use proptest::prelude::*;

use crate::helpers::{application, spawn_app};

const TZ: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

#[derive(Clone, Debug)]
enum Change {
    Refund { order: usize },
    Move { member: usize, sponsor: usize },
}

fn shape() -> impl Strategy<Value = (usize, u64, bool)> {
    (2usize..300, any::<u64>(), prop::bool::weighted(0.2))
}

fn changes() -> impl Strategy<Value = Vec<Vec<Change>>> {
    let change = prop_oneof![
        any::<usize>().prop_map(|order| Change::Refund { order }),
        (any::<usize>(), any::<usize>()).prop_map(|(member, sponsor)| Change::Move { member, sponsor }),
    ];
    prop::collection::vec(prop::collection::vec(change, 0..4), 3)
}

/// The seed generator's network, or (`star`) every member straight under the root.
fn network((size, seed, star): (usize, u64, bool)) -> Network {
    let today = BusinessDay::of(Utc::now(), TZ);
    let mut network = Network::generate(size, seed, 4, today.start_utc(TZ).timestamp_millis() - 3 * DAY_MS);
    if star {
        for member in network.members.iter_mut().skip(1) {
            member.sponsor = Some(0);
        }
    }
    network
}

async fn apply(graph: &Graph, network: &Network, change: &Change) {
    match *change {
        Change::Refund { order } => {
            let id = OrderId::parse(network.orders[order % network.orders.len()].order_id.as_str()).unwrap();
            app::orders::refund(&application(graph), &Actor::CommandLine, &id).await.unwrap();
        }
        Change::Move { member, sponsor } => {
            let phone = |i: usize| Phone::parse(network.members[i % network.members.len()].phone.as_str()).unwrap();
            // Moves into the member's own downline are refused, the same way on both databases.
            let _ = app::members::change_sponsor(&application(graph), &Actor::CommandLine, &phone(member), &phone(sponsor)).await;
        }
    }
}

async fn statements(graph: &Graph, day: BusinessDay) -> Vec<StatementRow> {
    statements::payouts(graph, day, None, 100_000).await.unwrap()
}

/// The engine's team volume and tier of every member on the next day equal the Cypher analytics:
/// the walk over the orders that start before the day, and, without a hold, the maintained
/// aggregates (every order is paid before the day, so once the team fold has counted everything
/// they are that day's volumes; with a hold they also count the orders still held).
async fn assert_engine_equals_cypher(graph: &Graph, day: BusinessDay, held: bool) {
    greenpoints::app::teams::fold_now(graph).await.unwrap();
    let computed = settle::compute(graph, day, None).await.unwrap();
    let thresholds: Vec<i64> =
        params::history(graph).await.unwrap().in_force(day).params.team_tiers().iter().map(|t| t.min_volume.fen()).collect();
    for (i, phone) in computed.snapshot.phones.iter().enumerate() {
        let member = Phone::parse(phone).unwrap();
        let engine = &computed.result.members[i];
        let (cash, points) = members::team_volume_on_day(graph, &member, day).await.unwrap();
        assert_eq!(engine.team_volume_fen, cash + points, "team volume of {phone} walked over the orders");
        let rank = thresholds.iter().filter(|&&threshold| threshold <= cash + points).count();
        assert_eq!(usize::from(engine.tier_rank), rank, "tier of {phone}");
        if !held {
            let row = members::summary(graph, &member, &thresholds).await.unwrap().unwrap();
            assert_eq!(engine.team_volume_fen, row.team_cash_fen + row.team_points_fen, "team volume of {phone}");
            assert_eq!(i64::from(engine.tier_rank), row.tier_rank, "tier of {phone}");
        }
    }
}

/// A version holding every order `hold_days`, in force from long before the network's orders.
async fn hold(graph: &Graph, hold_days: i64) {
    let first = BusinessDay::from_date(BusinessDay::of(Utc::now(), TZ).date() - chrono::Days::new(10));
    let mut document = greenpoints::domain::params::ParamsDocument::from(&greenpoints::domain::params::Params::defaults(first));
    document.hold_days = hold_days;
    let held = greenpoints::domain::params::Params::parse(document).unwrap();
    app::params::create(&application(graph), &Actor::CommandLine, held).await.unwrap();
}

/// Every order starts `hold_days` after its paid day (nothing is settled yet: no order is late).
async fn assert_start_days_follow_the_hold(graph: &Graph, network: &Network, hold_days: i64) {
    #[derive(serde::Deserialize)]
    struct Started {
        order_id: String,
        start_day: String,
    }
    let stored: Vec<Started> =
        graph.rows(neo4rs::query("MATCH (o:Order) RETURN o.order_id AS order_id, o.start_day AS start_day")).await.unwrap();
    let stored: std::collections::HashMap<String, String> = stored.into_iter().map(|o| (o.order_id, o.start_day)).collect();
    assert_eq!(stored.len(), network.orders.len());
    for order in &network.orders {
        let paid_day = BusinessDay::of(chrono::DateTime::from_timestamp_millis(order.paid_at_ms).unwrap(), TZ);
        let expected = BusinessDay::from_date(paid_day.date() + chrono::Days::new(hold_days as u64));
        assert_eq!(stored[order.order_id.as_str()], expected.to_string(), "order {}", order.order_id);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn settling_conserves_points_and_a_stopped_run_settled_again_equals_one_run(
        shape in shape(),
        changes in changes(),
        stop_after in 1usize..4,
        hold_days in 0i64..3,
    ) {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            let network = network(shape);
            let (straight, stopped) = (spawn_app().await, spawn_app().await);
            for app in [&straight, &stopped] {
                if hold_days > 0 {
                    hold(&app.graph, hold_days).await;
                }
                seed::write_members(&app.graph, &network, |_| {}).await.unwrap();
                seed::write_orders(&app.graph, &network, TZ, |_| {}).await.unwrap();
            }
            assert_start_days_follow_the_hold(&straight.graph, &network, hold_days).await;
            let first = BusinessDay::of(Utc::now(), TZ).pred().pred();
            for (offset, day_changes) in changes.iter().enumerate() {
                let day = BusinessDay::from_date(first.date() + chrono::Days::new(offset as u64));
                for change in day_changes {
                    apply(&straight.graph, &network, change).await;
                    apply(&stopped.graph, &network, change).await;
                }
                assert_engine_equals_cypher(&straight.graph, day, hold_days > 0).await;
                settle::settle_through(&straight.graph, TZ, day, Utc::now(), Options { batch_members: 7, ..Options::default() }, |_| {})
                    .await
                    .unwrap();
                let halted = Options { batch_members: 7, stop_after_batches: Some(stop_after), ..Options::default() };
                match settle::settle_through(&stopped.graph, TZ, day, Utc::now(), halted, |_| {}).await {
                    Err(SettleError::Stopped { .. }) => {
                        let leftover = verify::verify(&stopped.graph).await.unwrap();
                        assert!(leftover.iter().any(|v| v.rule == "settlement_unfinished"), "a stopped run shows: {leftover:?}");
                        settle::settle_through(&stopped.graph, TZ, day, Utc::now(), Options::default(), |_| {}).await.unwrap();
                    }
                    Ok(_) => {} // fewer batches than the stop
                    Err(other) => panic!("{other}"),
                }
                for app in [&straight, &stopped] {
                    let violations = verify::verify(&app.graph).await.unwrap();
                    assert!(violations.is_empty(), "{day}: {violations:#?}");
                }
                assert_eq!(statements(&straight.graph, day).await, statements(&stopped.graph, day).await, "{day}");
            }
        });
    }
}
