use chrono::{NaiveDate, TimeDelta};
use greenpoints::domain::scope::Scope;
use reqwest::Method;
use serde_json::{Value, json};

use greenpoints::graph::audit;

use crate::helpers::{TestApp, spawn_app};

const ROOT: &str = "13800000000";
const A: &str = "13800000001";

/// Today in the scheme's time zone (the test app runs in Asia/Shanghai).
fn today() -> NaiveDate {
    chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).date_naive()
}

fn day(offset: i64) -> String {
    (today() + TimeDelta::days(offset)).format("%Y-%m-%d").to_string()
}

/// The default document of SPEC §2 as the API writes it.
pub(crate) fn defaults(effective_from: &str) -> Value {
    json!({
        "effective_from": effective_from,
        "order_levels": [
            { "name": "初级", "min_amount": "3000.00", "multiplier": "2.5" },
            { "name": "中级", "min_amount": "9000.00", "multiplier": "3" },
            { "name": "高级", "min_amount": "27000.00", "multiplier": "3.5" },
            { "name": "VIP", "min_amount": "51000.00", "multiplier": "4" },
        ],
        "release_rate": "0.012",
        "share_rates": ["0.5", "0.3"],
        "team_tiers": [
            { "name": "青铜", "min_volume": "50000.00", "rate": "0.1" },
            { "name": "白银", "min_volume": "200000.00", "rate": "0.2" },
            { "name": "黄金", "min_volume": "600000.00", "rate": "0.26" },
            { "name": "铂金", "min_volume": "2000000.00", "rate": "0.32" },
            { "name": "钻石", "min_volume": "6000000.00", "rate": "0.38" },
            { "name": "星耀", "min_volume": "15000000.00", "rate": "0.44" },
            { "name": "王者", "min_volume": "30000000.00", "rate": "0.5" },
        ],
        "peer_rate": "0.03",
        "peer_generations": 1,
        "team_max_depth": null,
        "hold_days": 0,
        "points_usage_ratio": "0.5",
        "withdrawal_min": "100.00",
        "withdrawal_fee_rate": "0",
    })
}

/// The document without the fields the server adds (version, status, who and when).
/// A listed version without what the server adds to it: the document a client would send.
pub(crate) fn document_of(version: &Value) -> Value {
    let mut document = version.clone();
    let object = document.as_object_mut().unwrap();
    for added in ["version", "status", "created_at", "created_by", "approved_by", "cancelled_at", "cancelled_by"] {
        assert!(object.remove(added).is_some(), "{added} in {version}");
    }
    document
}

fn version_numbers(params: &Value) -> Vec<i64> {
    params["versions"].as_array().unwrap().iter().map(|v| v["version"].as_i64().unwrap()).collect()
}

async fn params(app: &TestApp) -> Value {
    let answer = app.get("/api/v1/params").await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.body
}

#[tokio::test]
async fn the_current_parameters_are_version_one_with_the_defaults_of_the_spec() {
    let app = spawn_app().await;
    let answer = params(&app).await;
    let current = &answer["current"];
    assert_eq!(current["version"], 1);
    assert!(current["created_at"].is_string(), "{current}");
    assert_eq!(document_of(current), defaults("1970-01-01"), "every field, with its exact name and string value");
    assert_eq!(current["release_rate"], "0.012");
    let tiers = current["team_tiers"].as_array().unwrap();
    assert_eq!(tiers.len(), 7);
    assert_eq!(tiers[0], json!({ "name": "青铜", "min_volume": "50000.00", "rate": "0.1" }));
    assert_eq!(tiers[6], json!({ "name": "王者", "min_volume": "30000000.00", "rate": "0.5" }));
    assert_eq!(version_numbers(&answer), [1]);
    assert_eq!(answer["versions"][0], *current);
    let orders_only = app.create_key(&[Scope::OrdersWrite]).await;
    assert_eq!(app.call_with(Some(&orders_only), Method::GET, "/api/v1/params", None).await.status, 200, "any key reads them");
    let none = app.call_with(None, Method::GET, "/api/v1/params", None).await;
    assert_eq!((none.status, none.code()), (401, "unauthorized"));
}

#[tokio::test]
async fn a_new_version_from_a_future_day_is_listed_but_not_yet_in_force() {
    let app = spawn_app().await;
    let mut document = defaults(&day(10));
    document["release_rate"] = json!("0.0150");
    document["team_tiers"][0]["rate"] = json!("0.10");
    document["share_rates"] = json!(["0.6"]);
    document["team_max_depth"] = json!(50);
    let answer = app.put("/api/v1/params", document).await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    assert_eq!(answer.body["version"], 2);
    assert_eq!(answer.body["effective_from"], day(10));
    assert_eq!(answer.body["release_rate"], "0.015", "rates are stored in their shortest form");
    assert_eq!(answer.body["team_tiers"][0]["rate"], "0.1");
    assert_eq!(answer.body["share_rates"], json!(["0.6"]));
    assert_eq!(answer.body["team_max_depth"], 50);
    let now = params(&app).await;
    assert_eq!(version_numbers(&now), [1, 2]);
    assert_eq!(now["versions"][1], answer.body, "the new version is listed as it was answered");
    assert_eq!(now["current"]["version"], 1, "it is not in force before its effective_from");
    assert_eq!(now["current"]["release_rate"], "0.012");
}

#[tokio::test]
async fn a_version_whose_day_has_come_is_current() {
    let app = spawn_app().await;
    let mut document = defaults(&day(0));
    document["peer_rate"] = json!("0.05");
    let answer = app.put("/api/v1/params", document).await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    let now = params(&app).await;
    assert_eq!((now["current"]["version"].clone(), now["current"]["peer_rate"].clone()), (json!(2), json!("0.05")));
}

/// Each refused document, and the fields its refusal must name.
fn invalid_documents() -> Vec<(&'static str, Value, Vec<&'static str>)> {
    let future = day(10);
    let with = |change: &dyn Fn(&mut Value)| {
        let mut document = defaults(&future);
        change(&mut document);
        document
    };
    vec![
        (
            "tiers not increasing in volume",
            with(&|d| d["team_tiers"][3]["min_volume"] = json!("600000.00")),
            vec!["team_tiers[3].min_volume"],
        ),
        ("tiers not increasing in rate", with(&|d| d["team_tiers"][2]["rate"] = json!("0.2")), vec!["team_tiers[2].rate"]),
        ("a rate above 1", with(&|d| d["release_rate"] = json!("1.5")), vec!["release_rate"]),
        ("three share rates", with(&|d| d["share_rates"] = json!(["0.5", "0.3", "0.1"])), vec!["share_rates"]),
        ("a negative withdrawal_min", with(&|d| d["withdrawal_min"] = json!("-1.00")), vec!["withdrawal_min"]),
        ("a missing field", with(&|d| drop(d.as_object_mut().unwrap().remove("peer_rate"))), vec!["peer_rate"]),
        ("an unknown field", with(&|d| d["bonus_rate"] = json!("0.1")), vec!["bonus_rate"]),
        (
            "several bad fields at once",
            with(&|d| {
                d["release_rate"] = json!("x");
                d["peer_generations"] = json!(11);
                d["effective_from"] = json!("2026-02-30");
            }),
            vec!["effective_from", "release_rate", "peer_generations"],
        ),
        ("a number where a string belongs", with(&|d| d["points_usage_ratio"] = json!(0.5)), vec!["points_usage_ratio"]),
    ]
}

#[tokio::test]
async fn invalid_documents_are_refused_naming_each_bad_field_and_add_no_version() {
    let app = spawn_app().await;
    let before = params(&app).await;
    for (what, document, fields) in invalid_documents() {
        let answer = app.put("/api/v1/params", document).await;
        assert_eq!((answer.status, answer.code()), (422, "invalid_params"), "{what}: {}", answer.body);
        let named: Vec<&str> = answer.body["error"]["fields"]
            .as_array()
            .unwrap_or_else(|| panic!("{what}: no fields in {}", answer.body))
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert_eq!(named, fields, "{what}: {}", answer.body);
        assert!(answer.body["error"]["fields"].as_array().unwrap().iter().all(|f| !f["message"].as_str().unwrap().is_empty()));
    }
    assert_eq!(params(&app).await, before, "no version was added");
}

#[tokio::test]
async fn a_body_that_is_not_a_document_is_refused_and_adds_no_version() {
    let app = spawn_app().await;
    let before = params(&app).await;
    let not_object = app.put("/api/v1/params", json!(["not", "a", "document"])).await;
    assert_eq!((not_object.status, not_object.code()), (400, "invalid_body"), "not an object: {}", not_object.body);
    let not_json = app
        .client
        .put(format!("{}/api/v1/params", app.address))
        .bearer_auth(&app.key)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(not_json.status().as_u16(), 400);
    let body: Value = not_json.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_body");
    assert_eq!(params(&app).await, before);
}

#[tokio::test]
async fn a_version_from_on_or_before_the_paid_day_of_an_existing_order_is_refused() {
    let app = spawn_app().await;
    app.member(ROOT, None).await;
    app.member(A, Some(ROOT)).await;
    let paid_day = day(-3);
    app.order("o-1", A, "3000.00", &format!("{paid_day}T23:59:59+08:00")).await;
    let before = params(&app).await;
    for effective_from in [day(-3), day(-4), "2020-01-01".to_string()] {
        let answer = app.put("/api/v1/params", defaults(&effective_from)).await;
        assert_eq!((answer.status, answer.code()), (422, "effective_from_has_orders"), "from {effective_from}: {}", answer.body);
    }
    assert_eq!(params(&app).await, before, "no version was added");
    let after = app.put("/api/v1/params", defaults(&day(-2))).await;
    assert_eq!((after.status, after.body["version"].clone()), (201, json!(2)), "the day after the order is free: {}", after.body);
    assert_eq!(order_grant(&app, "o-1").await, "7500.00", "the existing grant never changes");
}

#[tokio::test]
async fn only_an_admin_key_may_add_a_version() {
    let app = spawn_app().await;
    let before = params(&app).await;
    let scopes: Vec<Scope> = Scope::ALL.into_iter().filter(|s| *s != Scope::Admin).collect();
    let everything_but_admin = app.create_key(&scopes).await;
    let forbidden = app.call_with(Some(&everything_but_admin), Method::PUT, "/api/v1/params", Some(defaults(&day(10)))).await;
    assert_eq!((forbidden.status, forbidden.code()), (403, "forbidden"));
    let none = app.call_with(None, Method::PUT, "/api/v1/params", Some(defaults(&day(10)))).await;
    assert_eq!((none.status, none.code()), (401, "unauthorized"));
    assert_eq!(params(&app).await, before, "no version was added");
    let admin = app.create_key(&[Scope::Admin]).await;
    let allowed = app.call_with(Some(&admin), Method::PUT, "/api/v1/params", Some(defaults(&day(10)))).await;
    assert_eq!(allowed.status, 201, "{}", allowed.body);
}

async fn order_grant(app: &TestApp, order_id: &str) -> String {
    let answer = app.get(&format!("/api/v1/orders/{order_id}")).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.body["granted"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn an_order_is_granted_by_the_order_levels_in_force_on_its_paid_day() {
    let app = spawn_app().await;
    app.member(ROOT, None).await;
    app.member(A, Some(ROOT)).await;
    let d = day(-2);
    let before_d = day(-3);
    app.order("early", A, "3000.00", &format!("{before_d}T12:00:00+08:00")).await;
    let mut document = defaults(&d);
    document["order_levels"] = json!([
        { "name": "初级", "min_amount": "1000.00", "multiplier": "2" },
        { "name": "中级", "min_amount": "9000.00", "multiplier": "3.25" },
    ]);
    document["points_usage_ratio"] = json!("0.1");
    let created = app.put("/api/v1/params", document).await;
    assert_eq!(created.status, 201, "{}", created.body);

    let cases = [
        ("old-noon", format!("{before_d}T18:00:00+08:00"), "3000.00", "7500.00"),
        ("old-last-instant", format!("{before_d}T23:59:59.999+08:00"), "3000.00", "7500.00"),
        ("old-below", format!("{before_d}T20:00:00+08:00"), "1000.00", "0.00"),
        ("new-midnight", format!("{d}T00:00:00+08:00"), "3000.00", "6000.00"),
        ("new-utc", format!("{before_d}T16:00:00Z"), "1000.00", "2000.00"),
        ("new-noon", format!("{d}T12:00:00+08:00"), "9000.00", "29250.00"),
        ("new-today", chrono::Utc::now().to_rfc3339(), "51000.00", "165750.00"),
    ];
    for (id, paid_at, amount, granted) in &cases {
        let receipt = app.order(id, A, amount, paid_at).await;
        assert_eq!(receipt["granted"], *granted, "{id}: {amount} paid at {paid_at}");
        assert_eq!(order_grant(&app, id).await, *granted);
    }
    assert_eq!(order_grant(&app, "early").await, "7500.00", "an order from before the version keeps its grant");

    let ratio =
        |id: &str, paid_at: String| json!({ "order_id": id, "phone": A, "amount": "3000.00", "points_paid": "301.00", "paid_at": paid_at });
    let new_ratio = app.post("/api/v1/orders", ratio("r-new", format!("{d}T13:00:00+08:00"))).await;
    assert_eq!((new_ratio.status, new_ratio.code()), (422, "points_paid_over_ratio"), "the ratio in force on D is 10%");
    let old_ratio = app.post("/api/v1/orders", ratio("r-old", format!("{before_d}T13:00:00+08:00"))).await;
    assert_eq!(
        (old_ratio.status, old_ratio.code()),
        (422, "insufficient_points"),
        "the day before, 50% was allowed; it only fails for lack of available points"
    );
    let current = params(&app).await;
    assert_eq!(current["current"]["version"], 2);
    assert_eq!(current["current"]["order_levels"][1]["multiplier"], "3.25");
}

#[tokio::test]
async fn each_version_says_where_it_stands_and_who_proposed_and_approved_it() {
    let app = spawn_app().await;
    assert_eq!(app.put("/api/v1/params", defaults(&day(0))).await.status, 201);
    assert_eq!(app.put("/api/v1/params", defaults(&day(5))).await.status, 201);
    let now = params(&app).await;
    let field = |v: usize, name: &str| now["versions"][v][name].clone();
    let statuses: Vec<Value> = (0..3).map(|v| field(v, "status")).collect();
    assert_eq!(statuses, [json!("past"), json!("in_force"), json!("scheduled")]);
    assert_eq!((field(0, "created_by"), field(0, "approved_by")), (Value::Null, Value::Null), "the defaults: no one proposed them");
    let by = field(2, "created_by");
    assert!(by.as_str().is_some_and(|by| by.starts_with("api_key:")), "the API key that sent it: {by}");
    assert_eq!(field(2, "approved_by"), by, "without four eyes, the proposer approves");
    assert_eq!((field(2, "cancelled_at"), field(2, "cancelled_by")), (Value::Null, Value::Null));
}

#[tokio::test]
async fn a_cancelled_version_is_listed_as_cancelled_the_one_before_stays_in_force_and_its_number_is_not_reused() {
    let app = spawn_app().await;
    let mut document = defaults(&day(3));
    document["peer_rate"] = json!("0.05");
    assert_eq!(app.put("/api/v1/params", document).await.status, 201);

    let cancelled = app.post("/api/v1/params/2/cancel", json!({})).await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.body);
    assert_eq!((cancelled.body["version"].clone(), cancelled.body["status"].clone()), (json!(2), json!("cancelled")));
    assert!(cancelled.body["cancelled_at"].is_string(), "{}", cancelled.body);
    assert_eq!(cancelled.body["cancelled_by"], cancelled.body["created_by"]);
    assert_eq!(cancelled.body["peer_rate"], "0.05", "the document is kept, to read");
    let again = app.post("/api/v1/params/2/cancel", json!({})).await;
    assert_eq!(again.status, 200, "cancelling again answers it unchanged: {}", again.body);
    assert_eq!(again.body, cancelled.body);

    let now = params(&app).await;
    assert_eq!(now["current"]["version"], 1);
    assert_eq!(now["versions"][1], cancelled.body, "still listed, as cancelled");
    let next = app.put("/api/v1/params", defaults(&day(3))).await;
    assert_eq!((next.status, next.body["version"].clone()), (201, json!(3)), "numbers are not reused: {}", next.body);

    let entries: Vec<(String, String)> = audit::list(&app.graph, None, 10)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "params.cancel")
        .map(|e| (e.target, e.actor))
        .collect();
    assert_eq!(entries, [("v2".to_string(), cancelled.body["cancelled_by"].as_str().unwrap().to_string())], "audited once");
}

#[tokio::test]
async fn a_version_in_force_or_past_cannot_be_cancelled_and_an_unknown_one_is_not_found() {
    let app = spawn_app().await;
    assert_eq!(app.put("/api/v1/params", defaults(&day(0))).await.status, 201);
    for version in [1, 2] {
        let refused = app.post(&format!("/api/v1/params/{version}/cancel"), json!({})).await;
        assert_eq!((refused.status, refused.code()), (409, "params_version_in_force"), "v{version}: {}", refused.body);
    }
    for path in ["/api/v1/params/9/cancel", "/api/v1/params/two/cancel"] {
        let missing = app.post(path, json!({})).await;
        assert_eq!((missing.status, missing.code()), (404, "params_version_not_found"), "{path}: {}", missing.body);
    }
    let reader = app.create_key(&[Scope::OrdersWrite]).await;
    let forbidden = app.call_with(Some(&reader), Method::POST, "/api/v1/params/2/cancel", Some(json!({}))).await;
    assert_eq!(forbidden.status, 403);
    let now = params(&app).await;
    assert_eq!(now["current"]["version"], 2);
    assert!(now["versions"].as_array().unwrap().iter().all(|v| v["status"] != "cancelled"), "nothing changed");
}
