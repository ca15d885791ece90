//! A real crash: the `greenpoints` binary killed with SIGKILL in the middle of a large settlement,
//! run again, must leave exactly what an uninterrupted run leaves.
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use greenpoints::app::verify;
use greenpoints::domain::day::BusinessDay;
use greenpoints::graph::{Graph, settlements};
use serde::Deserialize;

use crate::helpers::spawn_app;

const TZ: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

fn greenpoints(database: &str, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_greenpoints"));
    command
        .args(args)
        .env("GREENPOINTS_GRAPH_DB", database)
        // A killed run is taken over two seconds after its last sign of life.
        .env("GREENPOINTS_SETTLEMENT_LEASE_SECONDS", "2")
        .env("RUST_LOG", "warn").stdout(Stdio::null()).stderr(Stdio::null());
    command
}

fn run(database: &str, args: &[&str]) {
    let status = greenpoints(database, args).status().unwrap();
    assert!(status.success(), "greenpoints {args:?} on {database}: {status}");
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
struct Balances {
    phone: String,
    granted_pool_fen: i64,
    moved_fen: i64,
    credited_fen: i64,
    frozen_fen: i64,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
struct OrderFigures {
    order_id: String,
    released_fen: i64,
    remaining_fen: i64,
    remaining_day: Option<String>,
}

/// Everything a settlement writes: statements, balances, orders' figures.
async fn books(graph: &Graph, day: BusinessDay) -> (Vec<settlements::StatementRow>, Vec<Balances>, Vec<OrderFigures>) {
    let statements = settlements::payouts(graph, day, None, 1_000_000).await.unwrap();
    let mut balances: Vec<Balances> = graph.rows(greenpoints::cypher!("verify/members")).await.unwrap();
    balances.sort_by(|a, b| a.phone.cmp(&b.phone));
    let mut orders: Vec<OrderFigures> = graph.rows(greenpoints::cypher!("verify/orders")).await.unwrap();
    orders.sort_by(|a, b| a.order_id.cmp(&b.order_id));
    (statements, balances, orders)
}

#[tokio::test]
async fn a_settlement_killed_halfway_and_run_again_leaves_what_an_uninterrupted_run_leaves() {
    let (whole, crashed) = (spawn_app().await, spawn_app().await);
    for app in [&whole, &crashed] {
        run(&app.database, &["seed", "--members", "30000", "--seed", "11", "--days", "3"]);
    }
    let settle = ["settle", "--date", "today", "--batch-members", "1000"];
    run(&whole.database, &settle);

    let mut child = greenpoints(&crashed.database, &settle).spawn().unwrap();
    let started = Instant::now();
    let done_when_killed = loop {
        if let Some(running) = settlements::running(&crashed.graph).await.unwrap()
            && running.batches_done >= 3
        {
            child.kill().unwrap(); // SIGKILL
            child.wait().unwrap();
            break running.batches_done;
        }
        assert!(child.try_wait().unwrap().is_none(), "the run finished before it could be killed");
        assert!(started.elapsed() < Duration::from_secs(120), "the run never got going");
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    let left = settlements::running(&crashed.graph).await.unwrap().expect("the killed run left its day running");
    assert!(left.batches_done >= done_when_killed && left.batches_done < left.batches_total, "killed halfway: {left:?}");

    run(&crashed.database, &settle);
    let today = BusinessDay::of(Utc::now(), TZ);
    let (expected, got) = (books(&whole.graph, today).await, books(&crashed.graph, today).await);
    assert!(expected.0.len() > 10_000, "a large day: {} statements", expected.0.len());
    assert_eq!(expected.0, got.0, "every statement");
    assert_eq!(expected.1, got.1, "every balance");
    assert_eq!(expected.2, got.2, "every order");
    for app in [&whole, &crashed] {
        assert_eq!(verify::verify(&app.graph).await.unwrap(), []);
    }
}
