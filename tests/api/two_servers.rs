//! Two servers on one database, each with its own connection pool: concurrent writes that meet
//! on the same member or the same key are decided by the database (a write conflict runs the
//! transaction again), never answered 500, never overdraw and never store anything twice.
use serde_json::{Value, json};

use crate::helpers::{TestApp, at, join_all, second_server, spawn_app};

const A: &str = "13800000001";
const B: &str = "13800000002";

async fn post_to(app: &TestApp, base: &str, path: &str, body: Value) -> (u16, Value) {
    let response = app.client.post(format!("{base}{path}")).bearer_auth(&app.key).json(&body).send().await.expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn withdrawals_racing_on_two_servers_never_overdraw_and_never_answer_500() {
    let app = spawn_app().await;
    let other = second_server(&app).await;
    app.member(A, None).await;
    let added = app.post(&format!("/api/v1/members/{A}/adjustments"), json!({"amount": "1000.00", "reason": "test"})).await;
    assert_eq!(added.status, 201, "{}", added.body);

    let requests = (0..20).map(|i| {
        let base = if i % 2 == 0 { app.address.clone() } else { other.clone() };
        let body = json!({"phone": A, "amount": "100.00", "idempotency_key": format!("race-{i}")});
        let app = &app;
        async move { post_to(app, &base, "/api/v1/withdrawals", body).await }
    });
    let answers = join_all(requests).await;
    let accepted = answers.iter().filter(|(status, _)| *status == 201).count();
    let refused = answers.iter().filter(|(status, body)| *status == 422 && body["error"]["code"] == "insufficient_points").count();
    assert_eq!((accepted, refused), (10, 10), "{answers:?}");
    let summary = app.summary(A).await;
    assert_eq!((summary["available"].as_str(), summary["frozen"].as_str()), (Some("0.00"), Some("1000.00")));
    app.assert_verified().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_order_sent_to_two_servers_at_once_is_stored_once_and_every_answer_is_the_first() {
    let app = spawn_app().await;
    let other = second_server(&app).await;
    app.member(A, None).await;
    app.member(B, Some(A)).await;
    let order = json!({"order_id": "twice", "phone": B, "amount": "3000.00", "paid_at": at(1, "10:00")});
    let distinct = (0..10).map(|i| json!({"order_id": format!("o-{i}"), "phone": B, "amount": "3000.00", "paid_at": at(1, "11:00")}));
    let requests = (0..10).map(|_| order.clone()).chain(distinct).enumerate().map(|(i, body)| {
        let base = if i % 2 == 0 { app.address.clone() } else { other.clone() };
        let app = &app;
        async move { post_to(app, &base, "/api/v1/orders", body).await }
    });
    let answers = join_all(requests).await;
    for (status, body) in &answers {
        assert_eq!(*status, 201, "{body}");
    }
    let replays: Vec<&Value> = answers[..10].iter().map(|(_, body)| body).collect();
    assert!(replays.iter().all(|body| *body == replays[0]), "every answer to the same order is the first: {replays:?}");
    let summary = app.summary(A).await;
    assert_eq!(summary["team_volume"], "33000.00", "eleven orders of 3000.00 below A, each counted once");
    app.assert_verified().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_requests_for_one_phone_on_two_servers_at_once_send_one_code() {
    let app = spawn_app().await;
    let other = second_server(&app).await;
    app.member(A, None).await;
    let requests = (0..8).map(|i| {
        let base = if i % 2 == 0 { app.address.clone() } else { other.clone() };
        let app = &app;
        async move { post_to(app, &base, "/api/v1/auth/sms-code", json!({"phone": A, "purpose": "reset"})).await }
    });
    let answers = join_all(requests).await;
    let sent = answers.iter().filter(|(status, _)| *status == 202).count();
    let refused = answers.iter().filter(|(status, body)| *status == 429 && body["error"]["code"] == "too_many_requests").count();
    assert_eq!((sent, refused), (1, 7), "one code a minute, whichever server is asked: {answers:?}");
    // The message goes out in the background: give it a moment, then count the outbox.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let messages = greenpoints::graph::sms::outbox(&app.graph, None, 10).await.unwrap();
    assert_eq!(messages.len(), 1, "one message in the outbox");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_attempts_count_against_one_budget_on_every_server() {
    let app = spawn_app().await;
    let other = second_server(&app).await;
    app.member(A, None).await;
    let mut statuses = Vec::new();
    for i in 0..12 {
        let base = if i % 2 == 0 { &app.address } else { &other };
        let (status, _) = post_to(&app, base, "/api/v1/auth/login", json!({"phone": A, "password": "wrong-password-1"})).await;
        statuses.push(status);
    }
    assert_eq!(statuses[..10], [401; 10], "ten wrong passwords are told wrong");
    assert_eq!(statuses[10..], [429, 429], "then the phone's budget is spent on both servers: {statuses:?}");
}
