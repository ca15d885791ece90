//! `/api/v1/me…`: the logged-in member's own views over JSON. A member session (the portal's
//! cookie) is what makes a member; an API key does not.
use base64::Engine;
use serde_json::{Value, json};

use crate::helpers::{Answer, TestApp, day, spawn_app};
use crate::member_pages::{A, B, Portal, X, example_two};

/// Calls the API as a member's session (no API key).
async fn as_member(app: &TestApp, portal: &Portal, method: reqwest::Method, path: &str, body: Option<Value>) -> Answer {
    let mut request = app.client.request(method, format!("{}{path}", app.address)).header("cookie", portal.cookie());
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    Answer { status, body: serde_json::from_str(&text).unwrap_or(Value::String(text)) }
}

async fn get(app: &TestApp, portal: &Portal, path: &str) -> Answer {
    as_member(app, portal, reqwest::Method::GET, path, None).await
}

#[tokio::test]
async fn every_me_endpoint_answers_401_without_a_member_session_even_with_an_api_key() {
    let app = spawn_app().await;
    example_two(&app).await;
    let statement = format!("/api/v1/me/statements/{}", day(1));
    let calls = [
        (reqwest::Method::GET, "/api/v1/me"),
        (reqwest::Method::GET, "/api/v1/me/team"),
        (reqwest::Method::GET, "/api/v1/me/statements"),
        (reqwest::Method::GET, statement.as_str()),
        (reqwest::Method::GET, "/api/v1/me/withdrawals"),
        (reqwest::Method::POST, "/api/v1/me/withdrawals"),
        (reqwest::Method::GET, "/api/v1/me/payout-account"),
    ];
    for (method, path) in calls {
        let body = (method == reqwest::Method::POST).then(|| json!({ "amount": "100.00", "idempotency_key": "k" }));
        let without = app.call_with(None, method.clone(), path, body.clone()).await;
        assert_eq!((without.status, without.code()), (401, "unauthorized"), "{method} {path} without a session");
        let with_key = app.call_with(Some(&app.key), method.clone(), path, body).await;
        assert_eq!((with_key.status, with_key.code()), (401, "unauthorized"), "{method} {path} with only an API key");
    }
}

#[tokio::test]
async fn me_is_the_member_s_own_summary_with_the_latest_settled_day_s_income_by_kind() {
    let app = spawn_app().await;
    example_two(&app).await;
    app.fold_teams().await;
    let me = get(&app, &Portal::of(&app, A).await, "/api/v1/me").await;
    assert_eq!(me.status, 200, "{}", me.body);
    let m = &me.body;
    assert_eq!(m["phone"], A);
    assert_eq!(m["sponsor_phone"], Value::Null, "A is the root");
    assert_eq!((m["pool"].as_str(), m["available"].as_str(), m["frozen"].as_str()), (Some("7446.00"), Some("54.00"), Some("0.00")));
    assert_eq!((m["level"].as_str(), &m["tier"]), (Some("初级"), &Value::Null));
    assert_eq!(m["next_tier"], json!({ "name": "青铜", "min_volume": "50000.00", "needed": "47000.00", "percent": 6 }));
    assert_eq!(
        (m["team_volume"].as_str(), m["team_volume_cash"].as_str(), m["team_volume_points"].as_str()),
        (Some("3000.00"), Some("3000.00"), Some("0.00"))
    );
    assert_eq!((m["team_size"].as_i64(), m["direct_count"].as_i64()), (Some(1), Some(1)));
    assert_eq!(
        m["latest"],
        json!({ "date": day(1), "static": "36.00", "share_g1": "18.00", "share_g2": "0.00", "team": "0.00", "peer": "0.00",
                "forfeited": "0.00", "total": "54.00" })
    );
    let code = m["invitation_code"].as_str().expect("the member's invitation code");
    assert_eq!(code.len(), 8, "{code}");
    assert_eq!(m["invitation_path"], format!("/register?code={code}"), "the link carries the invitation code, not the phone");
    assert!(m.get("peer_uplines").is_none() && m.get("peer_downlines").is_none(), "no other member's phone");

    let sponsored = get(&app, &Portal::of(&app, B).await, "/api/v1/me").await.body;
    assert_eq!(sponsored["sponsor_phone"], "138****0001", "the sponsor is masked");
    assert_eq!(sponsored["latest"]["static"], "36.00");
    assert_eq!(sponsored["latest"]["share_g1"], "0.00");
}

#[tokio::test]
async fn me_team_pages_the_downline_with_masked_phones_depth_and_no_balances() {
    let app = spawn_app().await;
    example_two(&app).await;
    app.member("13800000003", Some(B)).await;
    let portal = Portal::of(&app, A).await;
    app.fold_teams().await;
    let first = get(&app, &portal, "/api/v1/me/team?limit=1").await;
    assert_eq!(first.status, 200, "{}", first.body);
    let item = &first.body["items"][0];
    assert_eq!(item["phone"], "138****0002");
    assert_eq!((item["depth"].as_i64(), item["team_size"].as_i64(), item["direct_count"].as_i64()), (Some(1), Some(1), Some(1)));
    assert_eq!((item["team_volume"].as_str(), item["tier"].clone()), (Some("0.00"), Value::Null));
    for balance in ["pool", "available", "frozen", "sponsor_phone"] {
        assert!(item.get(balance).is_none(), "no {balance}");
    }
    let cursor = first.body["next_cursor"].as_str().expect("a second page");
    let decoded = String::from_utf8(base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(cursor).unwrap()).unwrap();
    assert!(!decoded.contains("1380000"), "the cursor names no one: {decoded}");
    let second = get(&app, &portal, &format!("/api/v1/me/team?limit=1&cursor={cursor}")).await;
    assert_eq!(second.body["items"][0]["phone"], "138****0003");
    assert_eq!(second.body["items"][0]["depth"], 2);
    assert_eq!(second.body["next_cursor"], Value::Null);

    let generation = get(&app, &portal, "/api/v1/me/team?generation=2").await;
    assert_eq!(generation.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(get(&app, &portal, "/api/v1/me/team?generation=4").await.code(), "invalid_generation");
    let naming = get(&app, &portal, &format!("/api/v1/me/team?phone={B}")).await;
    assert_eq!(naming.status, 400, "a query naming a member is refused, never followed: {}", naming.body);
    let b_team = get(&app, &Portal::of(&app, B).await, "/api/v1/me/team").await;
    assert_eq!(b_team.body["items"].as_array().unwrap().len(), 1, "B's own team: the member below B, not A");
}

#[tokio::test]
async fn me_statements_come_with_their_sources_masked_and_only_the_member_s_own() {
    let app = spawn_app().await;
    example_two(&app).await;
    app.member(X, Some(A)).await;
    let portal = Portal::of(&app, A).await;
    let list = get(&app, &portal, "/api/v1/me/statements").await;
    assert_eq!(list.status, 200, "{}", list.body);
    let statements = list.body["items"].as_array().unwrap();
    assert_eq!(statements.len(), 1);
    let s = &statements[0];
    assert_eq!(
        (s["date"].as_str(), s["static"].as_str(), s["share_g1"].as_str(), s["total"].as_str()),
        (Some(day(1).as_str()), Some("36.00"), Some("18.00"), Some("54.00"))
    );
    assert_eq!(s["sources"][0]["phone"], "138****0002");
    assert_eq!(s["sources"][0]["referral_release"], "36.00");
    assert_eq!(s["sources"][0]["share_g1"], "18.00");
    assert_eq!(get(&app, &portal, &format!("/api/v1/me/statements/{}", day(1))).await.body["sources"][0]["phone"], "138****0002");

    let outsider = Portal::of(&app, X).await;
    let other_day = get(&app, &outsider, &format!("/api/v1/me/statements/{}", day(1))).await;
    assert_eq!((other_day.status, other_day.code()), (404, "statement_not_found"), "X has no statement that day, whoever has");
    assert_eq!(get(&app, &outsider, "/api/v1/me/statements").await.body, json!({"items": [], "next_cursor": null}));
    let wide = get(&app, &portal, &format!("/api/v1/me/statements?from={}&to={}", day(60), day(0))).await;
    assert_eq!(wide.code(), "invalid_range");
}

#[tokio::test]
async fn me_withdrawals_are_requested_once_per_key_and_listed() {
    let app = spawn_app().await;
    app.member(A, None).await;
    let adjusted = app.post(&format!("/api/v1/members/{A}/adjustments"), json!({ "amount": "+500.00", "reason": "test" })).await;
    assert_eq!(adjusted.status, 201);
    app.payout_account(A).await;
    let portal = Portal::of(&app, A).await;
    let post = |body: Value| as_member(&app, &portal, reqwest::Method::POST, "/api/v1/me/withdrawals", Some(body));

    let first = post(json!({ "amount": "120.00", "idempotency_key": "me-1" })).await;
    assert_eq!(first.status, 201, "{}", first.body);
    assert_eq!(
        (first.body["status"].as_str(), first.body["amount"].as_str(), first.body["net"].as_str()),
        (Some("requested"), Some("120.00"), Some("120.00"))
    );
    let again = post(json!({ "amount": "120.00", "idempotency_key": "me-1" })).await;
    assert_eq!((again.status, &again.body["id"]), (201, &first.body["id"]), "the same key replays the same withdrawal");
    let other_amount = post(json!({ "amount": "130.00", "idempotency_key": "me-1" })).await;
    assert_eq!(other_amount.code(), "idempotency_key_conflict");
    let below = post(json!({ "amount": "99.99", "idempotency_key": "me-2" })).await;
    assert_eq!((below.status, below.code()), (422, "below_withdrawal_min"));
    let too_much = post(json!({ "amount": "400.00", "idempotency_key": "me-3" })).await;
    assert_eq!((too_much.status, too_much.code()), (422, "insufficient_points"));

    let summary = app.summary(A).await;
    assert_eq!((summary["available"].as_str(), summary["frozen"].as_str()), (Some("380.00"), Some("120.00")));
    let list = get(&app, &portal, "/api/v1/me/withdrawals").await;
    assert_eq!(list.status, 200);
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(list.body["items"][0]["id"], first.body["id"]);
    assert!(list.body["items"][0].get("decided_by").is_none());
    app.member(B, Some(A)).await;
    let others = get(&app, &Portal::of(&app, B).await, "/api/v1/me/withdrawals").await;
    assert_eq!(others.body["items"], json!([]), "B sees none of A's withdrawals");
}

#[tokio::test]
async fn the_me_endpoints_are_in_the_openapi_document_behind_the_member_session() {
    let app = spawn_app().await;
    let document = app.call_with(None, reqwest::Method::GET, "/api/v1/openapi.json", None).await.body;
    for (path, method) in [
        ("/me", "get"),
        ("/me/team", "get"),
        ("/me/statements", "get"),
        ("/me/statements/{date}", "get"),
        ("/me/withdrawals", "get"),
        ("/me/withdrawals", "post"),
        ("/me/payout-account", "get"),
        ("/me/payout-account", "put"),
    ] {
        let operation = &document["paths"][path][method];
        assert!(operation.is_object(), "{method} {path} is documented");
        assert_eq!(operation["security"][0]["member_session"], json!([]), "{method} {path} takes the member session");
    }
    let scheme = &document["components"]["securitySchemes"]["member_session"];
    assert_eq!(
        (scheme["type"].as_str(), scheme["in"].as_str(), scheme["name"].as_str()),
        (Some("apiKey"), Some("cookie"), Some("gp_member"))
    );
}
