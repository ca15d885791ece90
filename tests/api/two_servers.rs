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
    // A failure of the database shows in the test's output.
    let _ = tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::new("greenpoints=warn")).with_test_writer().try_init();
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
    for i in 0..8 {
        let base = if i % 2 == 0 { &app.address } else { &other };
        let (status, _) = post_to(&app, base, "/api/v1/auth/login", json!({"phone": A, "password": "wrong-password-1"})).await;
        statuses.push(status);
    }
    assert_eq!(statuses[..5], [401; 5], "five wrong passwords are told wrong");
    assert_eq!(statuses[5..], [429, 429, 429], "then this phone from this address waits, on both servers: {statuses:?}");
}

/// The statements of today as the API gives them.
async fn today_payouts(app: &TestApp) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = app.get(&format!("/api/v1/settlements/{}/payouts?limit=500{cursor}", crate::helpers::day(0))).await;
        assert_eq!(page.status, 200, "{}", page.body);
        items.extend(page.body["items"].as_array().unwrap().iter().cloned());
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => return items,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_one_server_settles_the_other_takes_orders_refunds_withdrawals_and_codes_and_the_day_equals_a_one_server_run() {
    use crate::crash::{SEED, Target};
    let (alone, busy) = (spawn_app().await, spawn_app().await);
    for app in [&alone, &busy] {
        Target::shared(app).run(&SEED);
    }
    let today = crate::helpers::day(0);
    alone.settle(&today).await;

    // A member with 1000.00 available and nothing else, who asks for ten withdrawals of 300.00.
    const SAVER: &str = "19900000001";
    #[derive(serde::Deserialize)]
    struct Seeded {
        order_id: String,
        phone: String,
    }
    let mut seeded: Vec<Seeded> = busy.graph.rows(greenpoints::cypher!("verify/orders")).await.unwrap();
    seeded.sort_by(|a, b| a.order_id.cmp(&b.order_id));
    busy.member(SAVER, Some(&seeded[0].phone)).await;
    let added = busy.post(&format!("/api/v1/members/{SAVER}/adjustments"), json!({"amount": "1000.00", "reason": "test"})).await;
    assert_eq!(added.status, 201, "{}", added.body);

    let settling = {
        let (address, key, today) = (busy.address.clone(), busy.key.clone(), today.clone());
        tokio::spawn(async move {
            let response = reqwest::Client::new()
                .post(format!("{address}/api/v1/settlements"))
                .bearer_auth(key)
                .json(&json!({"date": today}))
                .send()
                .await
                .unwrap();
            (response.status().as_u16(), response.json::<Value>().await.unwrap())
        })
    };
    // Everything below arrives after the fence (raised before the day's batches are stored): it
    // takes effect from tomorrow, whatever the timing.
    let started = std::time::Instant::now();
    while !greenpoints::graph::settlements::days::running(&busy.graph).await.unwrap().is_some_and(|run| run.planned) {
        assert!(started.elapsed() < std::time::Duration::from_secs(60), "the run did not begin");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let other = second_server(&busy).await;
    // 32 orders, late (paid yesterday) and current, and the first eight of them sent again.
    let order = |i: usize| {
        let paid_at = if i.is_multiple_of(2) { at(1, "12:00") } else { at(0, "00:00") };
        (
            "/api/v1/orders".to_string(),
            json!({"order_id": format!("during-{i}"), "phone": seeded[i].phone, "amount": "3000.00", "paid_at": paid_at}),
        )
    };
    let orders = (0..32).chain(0..8).map(order);
    let refunds = (100..110).map(|i| (format!("/api/v1/orders/{}/refund", seeded[i].order_id), json!({})));
    let withdrawals = (0..10)
        .map(|i| ("/api/v1/withdrawals".to_string(), json!({"phone": SAVER, "amount": "300.00", "idempotency_key": format!("w-{i}")})));
    let codes = (0..6).map(|_| ("/api/v1/auth/sms-code".to_string(), json!({"phone": seeded[200].phone, "purpose": "reset"})));
    let requests: Vec<(String, Value)> = orders.chain(refunds).chain(withdrawals).chain(codes).collect();
    let answers = join_all(requests.iter().map(|(path, body)| post_to(&busy, &other, path, body.clone()))).await;
    let running_after = greenpoints::graph::settlements::days::running(&busy.graph).await.unwrap();
    let (status, settled) = settling.await.unwrap();
    assert_eq!(status, 200, "{settled}");
    assert!(running_after.is_some(), "the requests were all answered while the day was settling");

    let server_errors: Vec<_> = answers.iter().filter(|(status, _)| *status >= 500).collect();
    assert!(server_errors.is_empty(), "no 5xx: {server_errors:?}");
    let tomorrow = crate::helpers::day(-1);
    for ((path, body), (status, answer)) in requests.iter().zip(&answers).take(40) {
        assert_eq!((*status, answer["counts_from"].as_str()), (201, Some(tomorrow.as_str())), "{path} {body}: {answer}");
    }
    for (status, answer) in &answers[40..50] {
        assert_eq!((*status, answer["refunded_from"].as_str()), (200, Some(tomorrow.as_str())), "{answer}");
    }
    let accepted = answers[50..60].iter().filter(|(status, _)| *status == 201).count();
    let refused = answers[50..60].iter().filter(|(status, body)| *status == 422 && body["error"]["code"] == "insufficient_points").count();
    assert_eq!((accepted, refused), (3, 7), "never overdrawn: {:?}", &answers[50..60]);
    let sent = answers[60..].iter().filter(|(status, _)| *status == 202).count();
    assert_eq!(sent, 1, "one code a minute: {:?}", &answers[60..]);

    #[derive(serde::Deserialize)]
    struct Id {
        order_id: String,
    }
    let stored: Vec<Id> = busy.graph.rows(greenpoints::cypher!("verify/orders")).await.unwrap();
    assert_eq!(stored.iter().filter(|o| o.order_id.starts_with("during-")).count(), 32, "every order stored once");
    assert_eq!(answers[..8], answers[32..40], "a replay answers the first answer");
    assert_eq!(today_payouts(&busy).await, today_payouts(&alone).await, "the day equals a one-server run");
    busy.assert_verified().await;
}
