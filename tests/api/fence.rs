//! The fence (SPEC §3): what arrives while a day is settling, on any server, takes effect from
//! the next day, and the day comes out exactly as if it had arrived after the run.
use chrono::Utc;
use greenpoints::app::settle::{self, Options, SettleError};
use greenpoints::domain::day::BusinessDay;
use greenpoints::graph::settlements::runs::{self, Claim};
use serde_json::{Value, json};

use crate::helpers::{TestApp, at, day, second_server, spawn_app};

const TZ: chrono_tz::Tz = chrono_tz::Asia::Shanghai;
const ROOT: &str = "13800000001";
const B: &str = "13800000002";
const C: &str = "13800000003";
const D: &str = "13800000004";

fn business_day(days_ago: i64) -> BusinessDay {
    day(days_ago).parse().unwrap()
}

/// A root with B and C below it and D below C, each with orders, and the first day settled.
async fn scheme() -> TestApp {
    let app = spawn_app().await;
    app.member(ROOT, None).await;
    app.member(B, Some(ROOT)).await;
    app.member(C, Some(ROOT)).await;
    app.member(D, Some(C)).await;
    for (i, phone) in [ROOT, B, C, D].into_iter().enumerate() {
        app.order(&format!("first-{i}"), phone, "60000.00", &at(5, "10:00")).await;
        app.order(&format!("second-{i}"), phone, "3000.00", &at(4, "10:00")).await;
    }
    app.settle(&day(3)).await;
    app
}

async fn post_to(app: &TestApp, base: &str, method: reqwest::Method, path: &str, body: Value) -> (u16, Value) {
    let response = app.client.request(method, format!("{base}{path}")).bearer_auth(&app.key).json(&body).send().await.expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// What arrives in both schemes: on `base`, while day(2) settles in one and after it in the other.
/// Returns the answers that say when each takes effect.
async fn arrivals(app: &TestApp, base: &str) -> Vec<(u16, Value)> {
    let mut params = crate::params::document_of(&app.get("/api/v1/params").await.body["current"]);
    params["effective_from"] = json!(day(2));
    vec![
        post_to(
            app,
            base,
            reqwest::Method::POST,
            "/api/v1/orders",
            json!({"order_id": "late", "phone": D, "amount": "9000.00", "paid_at": at(3, "12:00")}),
        )
        .await,
        post_to(
            app,
            base,
            reqwest::Method::POST,
            "/api/v1/orders",
            json!({"order_id": "today", "phone": B, "amount": "3000.00", "paid_at": at(0, "00:01")}),
        )
        .await,
        post_to(app, base, reqwest::Method::POST, "/api/v1/orders/first-3/refund", json!({})).await,
        post_to(app, base, reqwest::Method::PUT, &format!("/api/v1/members/{D}/sponsor"), json!({"sponsor_phone": B})).await,
        post_to(app, base, reqwest::Method::PUT, "/api/v1/params", params).await,
    ]
}

async fn day_payouts(app: &TestApp, days_ago: i64) -> Value {
    let answer = app.get(&format!("/api/v1/settlements/{}/payouts?limit=100", day(days_ago))).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.body["items"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_arrives_on_another_server_while_a_day_settles_takes_effect_from_the_next_day() {
    let (reference, fenced) = (scheme().await, scheme().await);

    // The reference settles day(2) first, then everything arrives.
    reference.settle(&day(2)).await;
    let after = arrivals(&reference, &reference.address).await;

    // The other begins day(2), stops after one batch and leaves its claim to another run that is
    // alive (it holds a lease); everything arrives on a second server meanwhile.
    let stopped = Options { batch_members: 1, stop_after_batches: Some(1), ..Options::default() };
    let outcome = settle::settle_through(&fenced.graph, TZ, business_day(2), Utc::now(), stopped, |_| {}).await;
    assert!(matches!(outcome, Err(SettleError::Stopped { batches: 1 })), "{outcome:?}");
    let now = Utc::now().timestamp_millis();
    let held = runs::claim(&fenced.graph, business_day(2), "another-server", now + 60_000, now).await.unwrap();
    assert!(matches!(held, Claim::Day(ref row) if row.day.to_string() == day(2) && row.batches_done == 1), "taken over by a live run");
    let other = second_server(&fenced).await;
    let during = arrivals(&fenced, &other).await;
    let (status, body) = post_to(&fenced, &other, reqwest::Method::POST, "/api/v1/settlements", json!({"date": day(2)})).await;
    assert_eq!((status, body["error"]["code"].as_str()), (409, Some("settlement_running")), "the live claim holds: {body}");
    runs::release(&fenced.graph, business_day(2), "another-server").await.unwrap();
    assert_eq!(fenced.settle(&day(2)).await, [day(2)], "the run is taken over and finished");

    // Every answer says the same, whether it came during the run or after it.
    let view = |answers: &[(u16, Value)]| -> Vec<(u16, Value)> {
        answers
            .iter()
            .map(|(status, body)| {
                let said = ["counts_from", "status", "refunded_from"]
                    .iter()
                    .map(|field| body[field].clone())
                    .chain([body["error"]["code"].clone()])
                    .collect();
                (*status, Value::Array(said))
            })
            .collect()
    };
    assert_eq!(view(&during), view(&after));
    assert_eq!(during[0].1["counts_from"], day(1), "a late order counts from the day after the fenced one: {:?}", during[0]);
    assert_eq!(during[1].1["counts_from"], day(-1), "{:?}", during[1]);
    assert_eq!((during[2].0, during[2].1["refunded_from"].clone()), (200, json!(day(1))), "{:?}", during[2]);
    assert_eq!((during[3].0, during[3].1["sponsor_phone"].clone()), (200, json!(B)), "{:?}", during[3]);
    assert_eq!((during[4].0, during[4].1["error"]["code"].clone()), (422, json!("effective_from_settled")), "{:?}", during[4]);

    // The day as its fence froze it, and the next day with everything in it, equal in both.
    assert_eq!(day_payouts(&fenced, 2).await, day_payouts(&reference, 2).await, "day(2) left out what arrived during its run");
    for app in [&reference, &fenced] {
        app.settle(&day(1)).await;
        app.assert_verified().await;
    }
    assert_eq!(day_payouts(&fenced, 1).await, day_payouts(&reference, 1).await, "day(1) has everything in it");
    for id in ["late", "today", "first-3"] {
        let mut orders = Vec::new();
        for app in [&fenced, &reference] {
            let mut order = app.get(&format!("/api/v1/orders/{id}")).await.body;
            order.as_object_mut().unwrap().remove("refunded_at");
            orders.push(order);
        }
        assert_eq!(orders[0], orders[1], "order {id}");
    }
    for phone in [ROOT, B, C, D] {
        let mut summaries = Vec::new();
        for app in [&fenced, &reference] {
            let mut summary = app.summary(phone).await;
            // Random in each scheme, and when each scheme registered its members.
            summary.as_object_mut().unwrap().remove("invitation_code");
            summary.as_object_mut().unwrap().remove("joined_at");
            summaries.push(summary);
        }
        assert_eq!(summaries[0], summaries[1], "member {phone}");
    }
}
