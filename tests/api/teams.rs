//! The team fold (SPEC §7): an order writes only its own member; the fold adds it to every
//! upline's team, once, whatever moves, restarts or second folders happen meanwhile.
use greenpoints::app::teams::fold_now;
use greenpoints::domain::audit::Actor;
use greenpoints::domain::phone::Phone;
use greenpoints::graph::{Graph, teams};
use serde::Deserialize;

use crate::helpers::{TestApp, application, spawn_app};

const ROOT: &str = "13800000000";
const A: &str = "13800000001";
const B: &str = "13800000002";
const C: &str = "13800000003";
const PAID_AT: &str = "2026-01-10T10:00:00+08:00";

#[derive(Debug, Deserialize, PartialEq, Eq)]
struct StoredTeam {
    team_cash_fen: i64,
    team_size: i64,
}

/// A member's team as stored, read without folding first.
async fn stored_team(graph: &Graph, phone: &str) -> StoredTeam {
    graph
        .row(
            neo4rs::query("MATCH (t:Team {phone: $phone}) RETURN t.team_cash_fen AS team_cash_fen, t.team_size AS team_size")
                .param("phone", phone),
        )
        .await
        .unwrap()
        .expect("every member has a team node")
}

fn team(team_cash_fen: i64, team_size: i64) -> StoredTeam {
    StoredTeam { team_cash_fen, team_size }
}

/// ROOT ← A ← B and ROOT ← C, everything counted.
async fn scheme() -> TestApp {
    let app = spawn_app().await;
    app.member(ROOT, None).await;
    app.member(A, Some(ROOT)).await;
    app.member(B, Some(A)).await;
    app.member(C, Some(ROOT)).await;
    fold_now(&app.graph).await.unwrap();
    app
}

fn order(order_id: &str, phone: &str, amount: &str) -> serde_json::Value {
    serde_json::json!({ "order_id": order_id, "phone": phone, "amount": amount, "paid_at": PAID_AT })
}

#[tokio::test]
async fn an_order_writes_only_its_member_and_the_fold_adds_it_to_every_upline_once() {
    let app = scheme().await;
    let answer = app.post("/api/v1/orders", order("fold-1", B, "3000.00")).await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    // Before the fold: the uplines' teams are as they were, and B waits to be counted.
    assert_eq!(stored_team(&app.graph, A).await, team(0, 1));
    assert_eq!(stored_team(&app.graph, ROOT).await, team(0, 3));
    assert_eq!(teams::state(&app.graph).await.unwrap().waiting, 1);

    assert_eq!(fold_now(&app.graph).await.unwrap(), 1, "one member counted");
    assert_eq!(stored_team(&app.graph, A).await, team(300_000, 1));
    assert_eq!(stored_team(&app.graph, ROOT).await, team(300_000, 3));
    assert_eq!(stored_team(&app.graph, B).await, team(0, 0), "a member's own order is not in its own team");
    assert_eq!(teams::state(&app.graph).await.unwrap().waiting, 0, "B's mark is cleared");
    // Folding again changes nothing.
    assert_eq!(fold_now(&app.graph).await.unwrap(), 0);
    assert_eq!(stored_team(&app.graph, ROOT).await, team(300_000, 3));
    app.assert_verified().await;
}

#[tokio::test]
async fn a_refund_and_a_new_member_reach_the_uplines_through_the_fold() {
    let app = scheme().await;
    app.post("/api/v1/orders", order("fold-r", B, "3000.00")).await;
    fold_now(&app.graph).await.unwrap();
    let refund = app.post("/api/v1/orders/fold-r/refund", serde_json::json!({})).await;
    assert_eq!(refund.status, 200, "{}", refund.body);
    app.member("13800000009", Some(B)).await;
    assert_eq!(stored_team(&app.graph, A).await, team(300_000, 1), "not counted before the fold");
    fold_now(&app.graph).await.unwrap();
    assert_eq!(stored_team(&app.graph, A).await, team(0, 2));
    assert_eq!(stored_team(&app.graph, B).await, team(0, 1));
    assert_eq!(stored_team(&app.graph, ROOT).await, team(0, 4));
    app.assert_verified().await;
}

#[tokio::test]
async fn a_sponsor_change_before_the_fold_leaves_every_figure_with_the_new_uplines() {
    let app = scheme().await;
    app.post("/api/v1/orders", order("fold-m1", B, "3000.00")).await;
    fold_now(&app.graph).await.unwrap();
    // A second order of B waits to be counted when B moves from under A to under C.
    app.post("/api/v1/orders", order("fold-m2", B, "9000.00")).await;
    let graph = app.graph.clone();
    let phone = |p: &str| Phone::parse(p).unwrap();
    greenpoints::app::members::change_sponsor(&application(&graph), &Actor::CommandLine, &phone(B), &phone(C)).await.unwrap();
    assert_eq!(stored_team(&graph, A).await, team(0, 0), "what was counted left A at once");
    assert_eq!(stored_team(&graph, C).await, team(300_000, 1), "and joined C");
    fold_now(&graph).await.unwrap();
    assert_eq!(stored_team(&graph, A).await, team(0, 0));
    assert_eq!(stored_team(&graph, C).await, team(1_200_000, 1), "the waiting order is counted under the new sponsor");
    assert_eq!(stored_team(&graph, ROOT).await, team(1_200_000, 3));
    app.assert_verified().await;
}

#[tokio::test]
async fn a_folder_whose_copy_of_the_tree_is_stale_reads_it_again_and_counts_right() {
    let app = scheme().await;
    let graph = app.graph.clone();
    let mut folder = greenpoints::app::teams::Folder::default();
    folder.fold(&graph, usize::MAX).await.unwrap();
    // The folder keeps its copy of the tree; B moves under C meanwhile, then orders.
    let phone = |p: &str| Phone::parse(p).unwrap();
    greenpoints::app::members::change_sponsor(&application(&graph), &Actor::CommandLine, &phone(B), &phone(C)).await.unwrap();
    app.post("/api/v1/orders", order("fold-s", B, "3000.00")).await;
    assert_eq!(folder.fold(&graph, usize::MAX).await.unwrap(), 1);
    assert_eq!(stored_team(&graph, C).await, team(300_000, 1));
    assert_eq!(stored_team(&graph, A).await, team(0, 0), "not counted along the old line");
    app.assert_verified().await;
}

#[tokio::test]
async fn two_folders_at_once_count_every_order_once() {
    let app = scheme().await;
    for n in 0..40 {
        let phone = [A, B, C][n % 3];
        let answer = app.post("/api/v1/orders", order(&format!("fold-t{n}"), phone, "3000.00")).await;
        assert_eq!(answer.status, 201, "{}", answer.body);
    }
    // Two servers' folders at once, each with a copy of the tree of its own.
    let (first, second) = tokio::join!(fold_now(&app.graph), fold_now(&app.graph));
    let counted = first.unwrap() + second.unwrap();
    assert!((3..=6).contains(&counted), "A, B and C counted, by one folder or (at most) each by both: {counted}");
    // 14 orders of A and 13 of each of B and C.
    assert_eq!(stored_team(&app.graph, ROOT).await, team(40 * 300_000, 3));
    assert_eq!(stored_team(&app.graph, A).await, team(13 * 300_000, 1));
    app.assert_verified().await;
}

#[tokio::test]
async fn a_member_s_figures_say_when_the_team_was_last_brought_up_to_date() {
    let app = scheme().await;
    let before = chrono::Utc::now() - chrono::TimeDelta::milliseconds(5);
    let answer = app.get(&format!("/api/v1/members/{A}")).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let as_of = answer.body["team_as_of"].as_str().expect("team_as_of").to_string();
    let as_of = chrono::DateTime::parse_from_rfc3339(&as_of).unwrap_or_else(|e| panic!("{as_of}: {e}"));
    assert_eq!(as_of.offset().local_minus_utc(), 8 * 3600, "with the scheme's offset");
    assert!(as_of >= before, "the read folded first: {as_of} ≥ {before}");
}

#[tokio::test]
async fn a_database_from_before_team_nodes_moves_its_aggregates_onto_them_at_start() {
    let app = spawn_app().await;
    app.member(ROOT, None).await;
    app.member(A, Some(ROOT)).await;
    let graph = &app.graph;
    // As an older version stored it: aggregates on the member, no team node, no mark.
    let legacy = "MATCH (m:Member) MATCH (t:Team {phone: m.phone}) DETACH DELETE t \
        SET m.team_cash_fen = CASE m.phone WHEN $root THEN 300000 ELSE 0 END, m.team_points_fen = 0, \
        m.team_size = CASE m.phone WHEN $root THEN 1 ELSE 0 END, m.own_cash_fen = CASE m.phone WHEN $root THEN 0 ELSE 300000 END \
        REMOVE m.team_dirty";
    graph.run(neo4rs::query(legacy).param("root", ROOT)).await.unwrap();
    graph.run(neo4rs::query("MATCH (b:Backfill {name: 'teams'}) DELETE b")).await.unwrap();
    greenpoints::graph::schema::apply(graph, chrono::Utc::now().timestamp_millis()).await.unwrap();
    assert_eq!(stored_team(graph, ROOT).await, team(300_000, 1));
    assert_eq!(stored_team(graph, A).await, team(0, 0));
    assert_eq!(fold_now(graph).await.unwrap(), 0, "everything stored before was counted already");
    assert_eq!(stored_team(graph, ROOT).await, team(300_000, 1));
    let members: Vec<StoredTeam> = graph
        .rows(neo4rs::query(
            "MATCH (m:Member) WHERE m.team_size IS NOT NULL RETURN m.team_cash_fen AS team_cash_fen, m.team_size AS team_size",
        ))
        .await
        .unwrap();
    assert!(members.is_empty(), "no aggregate is left on a member node: {members:?}");
}
