//! Withdrawals: request (idempotent), approve, mark paid, reject; each moves available and frozen
//! exactly once and the books stay balanced.
use serde_json::json;

use crate::helpers::spawn_app;

const A: &str = "13800000001";

async fn with_available(amount: &str) -> crate::helpers::TestApp {
    let app = spawn_app().await;
    app.member(A, None).await;
    let added = app.post(&format!("/api/v1/members/{A}/adjustments"), json!({"amount": amount, "reason": "test"})).await;
    assert_eq!(added.status, 201, "{}", added.body);
    app
}

fn balances(summary: &serde_json::Value) -> (&str, &str) {
    (summary["available"].as_str().unwrap(), summary["frozen"].as_str().unwrap())
}

#[tokio::test]
async fn a_withdrawal_freezes_its_amount_and_once_approved_and_paid_leaves_the_system() {
    let app = with_available("500.00").await;
    let body = json!({"phone": A, "amount": "300.00", "idempotency_key": "wd-1"});
    let requested = app.post("/api/v1/withdrawals", body.clone()).await;
    assert_eq!(requested.status, 201, "{}", requested.body);
    assert_eq!(requested.body["status"], "requested");
    assert_eq!(balances(&app.summary(A).await), ("200.00", "300.00"));

    let replayed = app.post("/api/v1/withdrawals", body).await;
    assert_eq!(replayed.body, requested.body, "the same key and request replay the first answer");
    assert_eq!(balances(&app.summary(A).await), ("200.00", "300.00"), "frozen once");
    let reused = app.post("/api/v1/withdrawals", json!({"phone": A, "amount": "100.00", "idempotency_key": "wd-1"})).await;
    assert_eq!((reused.status, reused.code()), (409, "idempotency_key_conflict"));

    let id = requested.body["id"].as_str().unwrap();
    let early = app.post(&format!("/api/v1/withdrawals/{id}/paid"), json!({})).await;
    assert_eq!((early.status, early.code()), (409, "withdrawal_state"), "paid only once approved");
    assert_eq!(app.post(&format!("/api/v1/withdrawals/{id}/approve"), json!({})).await.body["status"], "approved");
    assert_eq!(balances(&app.summary(A).await), ("200.00", "300.00"), "approval moves nothing");
    let paid = app.post(&format!("/api/v1/withdrawals/{id}/paid"), json!({})).await;
    assert_eq!(paid.body["status"], "paid");
    assert_eq!(balances(&app.summary(A).await), ("200.00", "0.00"));
    let again = app.post(&format!("/api/v1/withdrawals/{id}/reject"), json!({})).await;
    assert_eq!((again.status, again.code()), (409, "withdrawal_state"), "a paid withdrawal stays paid");

    let page = app.get("/api/v1/withdrawals?status=paid").await.body;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    let actions: Vec<String> = greenpoints::graph::audit::list(&app.graph, None, 10).await.unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(actions[..2], ["withdrawal.paid", "withdrawal.approve"]);
    app.assert_verified().await;
}

#[tokio::test]
async fn a_rejected_withdrawal_returns_its_amount_to_available() {
    let app = with_available("500.00").await;
    let requested = app.post("/api/v1/withdrawals", json!({"phone": A, "amount": "150.00", "idempotency_key": "wd-2"})).await;
    let id = requested.body["id"].as_str().unwrap();
    let rejected = app.post(&format!("/api/v1/withdrawals/{id}/reject"), json!({})).await;
    assert_eq!(rejected.body["status"], "rejected");
    assert_eq!(balances(&app.summary(A).await), ("500.00", "0.00"));
    app.assert_verified().await;
}

#[tokio::test]
async fn a_withdrawal_below_the_minimum_or_above_available_is_refused_and_changes_nothing() {
    let app = with_available("500.00").await;
    let small = app.post("/api/v1/withdrawals", json!({"phone": A, "amount": "99.99", "idempotency_key": "a"})).await;
    assert_eq!((small.status, small.code()), (422, "below_withdrawal_min"));
    let large = app.post("/api/v1/withdrawals", json!({"phone": A, "amount": "500.01", "idempotency_key": "b"})).await;
    assert_eq!((large.status, large.code()), (422, "insufficient_points"));
    let nobody = app.post("/api/v1/withdrawals", json!({"phone": "13800000009", "amount": "100.00", "idempotency_key": "c"})).await;
    assert_eq!((nobody.status, nobody.code()), (404, "member_not_found"));
    let no_key = app.post("/api/v1/withdrawals", json!({"phone": A, "amount": "100.00", "idempotency_key": ""})).await;
    assert_eq!((no_key.status, no_key.code()), (400, "invalid_idempotency_key"));
    let unknown = app.post("/api/v1/withdrawals/00000000-0000-0000-0000-000000000000/approve", json!({})).await;
    assert_eq!((unknown.status, unknown.code()), (404, "withdrawal_not_found"));
    assert_eq!(balances(&app.summary(A).await), ("500.00", "0.00"));
    assert_eq!(app.get("/api/v1/withdrawals").await.body["items"], json!([]), "nothing was recorded");
    // The key of a refused request is still free.
    let ok = app.post("/api/v1/withdrawals", json!({"phone": A, "amount": "100.00", "idempotency_key": "b"})).await;
    assert_eq!(ok.status, 201, "{}", ok.body);
    app.assert_verified().await;
}

#[tokio::test]
async fn a_withdrawal_is_read_by_its_id_with_its_status_now_and_an_unknown_id_or_a_key_without_payouts_read_is_refused() {
    let app = with_available("500.00").await;
    let requested = app.post("/api/v1/withdrawals", json!({"phone": A, "amount": "200.00", "idempotency_key": "wd-3"})).await;
    let id = requested.body["id"].as_str().unwrap();
    let read = app.get(&format!("/api/v1/withdrawals/{id}")).await;
    assert_eq!(read.status, 200, "{}", read.body);
    assert_eq!(read.body, requested.body, "the same figures as when it was asked for");

    app.post(&format!("/api/v1/withdrawals/{id}/approve"), json!({})).await;
    let approved = app.get(&format!("/api/v1/withdrawals/{id}")).await.body;
    assert_eq!((approved["status"].as_str(), approved["phone"].as_str()), (Some("approved"), Some(A)));
    assert!(approved["decided_at"].is_string() && approved["decided_by"].is_string(), "{approved}");

    let unknown = app.get("/api/v1/withdrawals/00000000-0000-0000-0000-000000000000").await;
    assert_eq!((unknown.status, unknown.code()), (404, "withdrawal_not_found"));
    let members_only = app.create_key(&[greenpoints::domain::scope::Scope::MembersWrite]).await;
    let refused = app.call_with(Some(&members_only), reqwest::Method::GET, &format!("/api/v1/withdrawals/{id}"), None).await;
    assert_eq!((refused.status, refused.code()), (403, "forbidden"));
}
