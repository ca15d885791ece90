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

#[derive(serde::Deserialize)]
struct StoredAccounts {
    member_sealed: String,
    member_masked: String,
    withdrawal_sealed: String,
}

#[tokio::test]
async fn a_payout_account_is_checked_sealed_in_the_database_and_only_ever_answered_masked() {
    let app = with_available("500.00").await;
    let path = format!("/api/v1/members/{A}/payout-account");
    let none = app.get(&path).await;
    assert_eq!((none.status, none.code()), (404, "payout_account_not_found"));
    let card = |number: &str| json!({"kind": "bank_card", "real_name": "张三丰", "bank": "中国银行", "number": number});
    let wrong_digit = app.put(&path, card("6222021234567890127")).await;
    assert_eq!((wrong_digit.status, wrong_digit.code()), (400, "invalid_card_number"));
    let no_bank = app.put(&path, json!({"kind": "bank_card", "real_name": "张三丰", "number": crate::helpers::CARD})).await;
    assert_eq!((no_bank.status, no_bank.code()), (400, "invalid_bank"));
    assert_eq!(app.get(&path).await.status, 404, "a refused account is not kept");

    let set = app.put(&path, card("6222 0212 3456 7890 128")).await;
    assert_eq!(set.status, 200, "{}", set.body);
    assert_eq!(set.body, json!({"kind": "bank_card", "name": "张**", "bank": "中国银行", "number": "···· 0128"}));
    assert_eq!(app.get(&path).await.body, set.body);
    let requested = app.post("/api/v1/withdrawals", json!({"phone": A, "amount": "300.00", "idempotency_key": "wd-1"})).await;
    assert_eq!(requested.body["account"], set.body, "the withdrawal goes to the account set");

    let stored: StoredAccounts = app
        .graph
        .row(
            neo4rs::query(
                "MATCH (m:Member {phone: $phone})<-[:OF]-(w:Withdrawal) RETURN m.payout_sealed AS member_sealed, \
             m.payout_masked AS member_masked, w.account_sealed AS withdrawal_sealed",
            )
            .param("phone", A),
        )
        .await
        .unwrap()
        .unwrap();
    for text in [&stored.member_sealed, &stored.member_masked, &stored.withdrawal_sealed] {
        for secret in [crate::helpers::CARD.to_string(), hex::encode(crate::helpers::CARD), "三丰".to_string(), hex::encode("三丰")] {
            assert!(!text.contains(&secret), "{secret} is stored sealed: {text}");
        }
    }

    let alipay = app.put(&path, json!({"kind": "alipay", "real_name": "张三丰", "number": "13800000001"})).await;
    assert_eq!(alipay.body, json!({"kind": "alipay", "name": "张**", "bank": null, "number": "138****0001"}));
    let id = requested.body["id"].as_str().unwrap();
    let kept = app.get(&format!("/api/v1/withdrawals/{id}")).await.body;
    assert_eq!(kept["account"]["number"], "···· 0128", "a withdrawal keeps the account it was asked with");
    let entry = greenpoints::graph::audit::list(&app.graph, None, 1).await.unwrap().remove(0);
    assert_eq!((entry.action.as_str(), entry.target.as_str()), ("member.payout_account", A));
}

#[tokio::test]
async fn a_member_asks_for_a_withdrawal_only_once_its_payout_account_is_set_and_sets_it_only_with_its_password() {
    const B: &str = "13800000002";
    let app = with_available("500.00").await;
    let password = "correct horse battery";
    let created = app.post("/api/v1/members", json!({"phone": B, "sponsor_phone": A, "password": password})).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let added = app.post(&format!("/api/v1/members/{B}/adjustments"), json!({"amount": "500.00", "reason": "test"})).await;
    assert_eq!(added.status, 201, "{}", added.body);
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let url = |path: &str| format!("{}/api/v1{path}", app.address);
    let login = client.post(url("/auth/login")).json(&json!({"phone": B, "password": password})).send().await.unwrap();
    assert_eq!(login.status(), 200);

    let asked = client.post(url("/me/withdrawals")).json(&json!({"amount": "150.00", "idempotency_key": "k-1"})).send().await.unwrap();
    assert_eq!(asked.status(), 422);
    assert_eq!(asked.json::<serde_json::Value>().await.unwrap()["error"]["code"], "payout_account_required");

    let account = |password: &str| json!({"kind": "alipay", "real_name": "张三", "number": "zhang@example.com", "password": password});
    let wrong = client.put(url("/me/payout-account")).json(&account("not-my-password")).send().await.unwrap();
    assert_eq!(wrong.status(), 401, "the password is asked again");
    assert_eq!(client.get(url("/me/payout-account")).send().await.unwrap().status(), 404, "nothing kept");
    let right = client.put(url("/me/payout-account")).json(&account(password)).send().await.unwrap();
    assert_eq!(right.status(), 200);
    let mine = client.get(url("/me/payout-account")).send().await.unwrap().json::<serde_json::Value>().await.unwrap();
    assert_eq!(mine, json!({"kind": "alipay", "name": "张*", "bank": null, "number": "z***@example.com"}));

    let asked = client.post(url("/me/withdrawals")).json(&json!({"amount": "150.00", "idempotency_key": "k-1"})).send().await.unwrap();
    assert_eq!(asked.status(), 201);
    assert_eq!(asked.json::<serde_json::Value>().await.unwrap()["account"]["number"], "z***@example.com");
}

#[tokio::test]
async fn a_rejection_through_the_api_carries_its_reason_and_a_body_that_does_not_read_is_refused() {
    let app = with_available("500.00").await;
    let requested = app.post("/api/v1/withdrawals", json!({"phone": A, "amount": "150.00", "idempotency_key": "wd-1"})).await;
    let reject = format!("/api/v1/withdrawals/{}/reject", requested.body["id"].as_str().unwrap());
    let not_json = app.post(&reject, json!({"reason": 5})).await;
    assert_eq!((not_json.status, not_json.code()), (400, "invalid_body"));
    let blank = app.post(&reject, json!({"reason": " \t"})).await;
    assert_eq!((blank.status, blank.code()), (400, "invalid_reason"));
    assert_eq!(balances(&app.summary(A).await), ("350.00", "150.00"), "refused, nothing moved");
    let rejected = app.post(&reject, json!({"reason": "户名与实名不符"})).await;
    assert_eq!((rejected.body["status"].as_str(), rejected.body["reject_reason"].as_str()), (Some("rejected"), Some("户名与实名不符")));
    assert_eq!(balances(&app.summary(A).await), ("500.00", "0.00"));
}
