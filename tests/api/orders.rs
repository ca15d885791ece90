use greenpoints::domain::scope::Scope;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, join_all, spawn_app};

const ROOT: &str = "13800000000";
const A: &str = "13800000001";
const B: &str = "13800000002";
const PAID_AT: &str = "2026-01-10T10:00:00+08:00";

/// ROOT sponsors A, who sponsors B: B's orders count in A's and ROOT's team volume.
async fn chain() -> TestApp {
    let app = spawn_app().await;
    app.member(ROOT, None).await;
    app.member(A, Some(ROOT)).await;
    app.member(B, Some(A)).await;
    app
}

fn body(order_id: &str, phone: &str, amount: &str) -> Value {
    json!({ "order_id": order_id, "phone": phone, "amount": amount, "paid_at": PAID_AT })
}

async fn order_view(app: &TestApp, order_id: &str) -> Value {
    let answer = app.get(&format!("/api/v1/orders/{order_id}")).await;
    assert_eq!(answer.status, 200, "order {order_id}: {}", answer.body);
    answer.body
}

/// What a refused request must have left alone: no order under that id, and the volumes and pools
/// of B and its uplines as they were.
async fn assert_no_order_and_figures(app: &TestApp, order_id: &str, before: &[(&str, Value)]) {
    let missing = app.get(&format!("/api/v1/orders/{order_id}")).await;
    assert_eq!((missing.status, missing.code()), (404, "order_not_found"), "order {order_id} was not created");
    for (phone, summary) in before {
        assert_eq!(&app.summary(phone).await, summary, "the figures of {phone} did not change");
    }
}

async fn figures(app: &TestApp) -> Vec<(&'static str, Value)> {
    let mut all = Vec::new();
    for phone in [ROOT, A, B] {
        all.push((phone, app.summary(phone).await));
    }
    all
}

#[tokio::test]
async fn an_order_grants_amount_times_the_multiplier_of_the_highest_level_it_reaches() {
    let app = chain().await;
    let cases = [
        ("3000.00", "7500.00"),
        ("9000.00", "27000.00"),
        ("27000.00", "94500.00"),
        ("51000.00", "204000.00"),
        ("2999.99", "0.00"),
        ("3000.01", "7500.02"),
        ("8999.99", "22499.97"),
    ];
    for (i, (amount, granted)) in cases.iter().enumerate() {
        let receipt = app.order(&format!("grant-{i}"), B, amount, PAID_AT).await;
        assert_eq!(receipt["granted"], *granted, "an order of {amount}");
        assert_eq!(receipt["amount"], *amount);
        let stored = order_view(&app, &format!("grant-{i}")).await;
        assert_eq!(stored["granted"], *granted, "the stored grant of an order of {amount}");
        assert_eq!(stored["remaining"], *granted, "nothing has been released yet");
    }
    let b = app.summary(B).await;
    assert_eq!(b["pool"], "362999.99", "the sum of the grants");
    assert_eq!(b["level"], "VIP", "the level of the largest order");
    let a = app.summary(A).await;
    assert_eq!(a["team_volume"], "104999.99", "every order counts in the sponsor's team volume, 2999.99 included");
    assert_eq!(a["team_volume_cash"], "104999.99");
    assert_eq!(a["tier"], "青铜");
    assert_eq!(app.summary(ROOT).await["team_volume"], "104999.99", "and in every upline's");
    assert_eq!(b["team_volume"], "0.00", "a member's own orders are not in its team volume");
}

#[tokio::test]
async fn an_order_below_the_lowest_level_grants_nothing_but_counts_in_team_volume() {
    let app = chain().await;
    let receipt = app.order("small", B, "2999.99", PAID_AT).await;
    assert_eq!(receipt["granted"], "0.00");
    assert_eq!(app.summary(A).await["team_volume"], "2999.99");
    assert_eq!(app.summary(ROOT).await["team_volume"], "2999.99");
    let b = app.summary(B).await;
    assert_eq!((b["pool"].clone(), b["level"].clone()), (json!("0.00"), json!(null)), "no points and no level");
    let stored = order_view(&app, "small").await;
    assert_eq!((stored["granted"].clone(), stored["remaining"].clone()), (json!("0.00"), json!("0.00")));
}

#[tokio::test]
async fn the_receipt_echoes_the_order_with_its_grant() {
    let app = chain().await;
    let answer =
        app.post("/api/v1/orders", json!({ "order_id": "M20260110-0001", "phone": B, "amount": "3000", "paid_at": PAID_AT })).await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    assert_eq!(
        answer.body,
        json!({
            "order_id": "M20260110-0001",
            "phone": B,
            "amount": "3000.00",
            "points_paid": "0.00",
            "paid_at": "2026-01-10T10:00:00.000+08:00",
            "counts_from": "2026-01-11",
            "granted": "7500.00",
        }),
        "amounts with two decimals, points_paid defaulting to 0, paid_at as the same instant in RFC 3339, \
         releasing from the day after its paid day"
    );
}

#[tokio::test]
async fn a_new_order_reads_back_live_with_its_whole_grant_remaining() {
    let app = chain().await;
    app.order("o-1", B, "9000.00", PAID_AT).await;
    let order = order_view(&app, "o-1").await;
    assert_eq!(order["order_id"], "o-1");
    assert_eq!(order["phone"], B);
    assert_eq!(order["amount"], "9000.00");
    assert_eq!(order["points_paid"], "0.00");
    assert_eq!(order["paid_at"], "2026-01-10T10:00:00.000+08:00", "with the scheme's offset, as the mall sent it");
    assert_eq!(order["granted"], "27000.00");
    assert_eq!(order["released"], "0.00");
    assert_eq!(order["remaining"], "27000.00");
    assert_eq!(order["refunded"], "0.00");
    assert_eq!(order["status"], "live");
    assert_eq!(order["refunded_at"], json!(null));
}

#[tokio::test]
async fn a_member_s_orders_page_from_the_latest_paid_through_every_order_once() {
    let app = chain().await;
    for (n, hour) in [(1, "08"), (2, "09"), (3, "10"), (4, "11"), (5, "12")] {
        app.order(&format!("o-{n}"), B, "3000.00", &format!("2026-01-10T{hour}:00:00+08:00")).await;
    }
    app.order("o-other", A, "3000.00", PAID_AT).await;
    let mut seen = Vec::new();
    let mut path = format!("/api/v1/members/{B}/orders?limit=2");
    loop {
        let page = app.get(&path).await;
        assert_eq!(page.status, 200, "{}", page.body);
        let items = page.body["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        seen.extend(items.iter().map(|o| o["order_id"].as_str().unwrap().to_string()));
        assert!(items.iter().all(|o| o["status"] == "live" && o["phone"] == B));
        match page.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/members/{B}/orders?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, ["o-5", "o-4", "o-3", "o-2", "o-1"], "the latest paid first, each once");
    let unknown = app.get("/api/v1/members/13999999999/orders").await;
    assert_eq!((unknown.status, unknown.code()), (404, "member_not_found"));
    let bad = app.get(&format!("/api/v1/members/{B}/orders?cursor=not-ours")).await;
    assert_eq!((bad.status, bad.code()), (400, "invalid_cursor"));
}

#[tokio::test]
async fn reading_an_unknown_or_malformed_order_id_is_refused() {
    let app = chain().await;
    let unknown = app.get("/api/v1/orders/nope").await;
    assert_eq!((unknown.status, unknown.code()), (404, "order_not_found"));
    let malformed = app.get("/api/v1/orders/a%20b").await;
    assert_eq!((malformed.status, malformed.code()), (400, "invalid_order_id"));
    let none = app.call_with(None, Method::GET, "/api/v1/orders/nope", None).await;
    assert_eq!((none.status, none.code()), (401, "unauthorized"));
}

#[tokio::test]
async fn the_same_order_sent_again_replays_the_first_answer_and_changes_nothing() {
    let app = chain().await;
    let first = app.post("/api/v1/orders", body("dup", B, "3000.00")).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let before = figures(&app).await;
    let again = app.post("/api/v1/orders", body("dup", B, "3000.00")).await;
    assert_eq!((again.status, &again.body), (201, &first.body), "the replay answers exactly as the first time");
    let same_meaning = app
        .post(
            "/api/v1/orders",
            json!({ "order_id": "dup", "phone": B, "amount": "3000", "points_paid": "0.00", "paid_at": "2026-01-10T02:00:00Z" }),
        )
        .await;
    assert_eq!(
        (same_meaning.status, &same_meaning.body),
        (201, &first.body),
        "\"3000\" is \"3000.00\", no points_paid is \"0.00\" and the same instant in UTC is the same paid_at"
    );
    assert_eq!(figures(&app).await, before, "the order was counted once");
    assert_eq!(app.summary(A).await["team_volume"], "3000.00");
}

#[tokio::test]
async fn the_same_order_id_with_a_different_order_is_a_conflict_and_changes_nothing() {
    let app = chain().await;
    app.order("dup", B, "3000.00", PAID_AT).await;
    let stored = order_view(&app, "dup").await;
    let before = figures(&app).await;
    let conflicts = [
        body("dup", B, "3000.01"),
        body("dup", A, "3000.00"),
        json!({ "order_id": "dup", "phone": B, "amount": "3000.00", "paid_at": "2026-01-10T10:00:01+08:00" }),
        json!({ "order_id": "dup", "phone": B, "amount": "3000.00", "points_paid": "0.01", "paid_at": PAID_AT }),
    ];
    for conflict in conflicts {
        let answer = app.post("/api/v1/orders", conflict.clone()).await;
        assert_eq!((answer.status, answer.code()), (409, "order_id_conflict"), "{conflict}");
    }
    assert_eq!(order_view(&app, "dup").await, stored, "the order as stored is the first one");
    assert_eq!(figures(&app).await, before, "no team volume, pool or balance moved");
}

#[tokio::test]
async fn malformed_amounts_are_refused_with_their_own_code_and_change_nothing() {
    let app = chain().await;
    app.order("kept", B, "3000.00", PAID_AT).await;
    let before = figures(&app).await;
    let cases = [
        ("-1.00", "amount_negative"),
        ("0", "amount_not_positive"),
        ("0.00", "amount_not_positive"),
        ("3000.001", "too_many_decimals"),
        ("abc", "invalid_amount"),
        ("1e3", "invalid_amount"),
        ("NaN", "invalid_amount"),
        ("", "invalid_amount"),
        ("+3000", "invalid_amount"),
        (" 3000", "invalid_amount"),
        ("3,000.00", "invalid_amount"),
        ("99999999999999999999.00", "amount_too_large"),
        ("10000000000000.01", "amount_too_large"),
    ];
    for (i, (amount, code)) in cases.iter().enumerate() {
        let answer = app.post("/api/v1/orders", body(&format!("bad-{i}"), B, amount)).await;
        assert_eq!((answer.status, answer.code()), (400, *code), "amount {amount:?}");
        assert_no_order_and_figures(&app, &format!("bad-{i}"), &before).await;
    }
}

#[tokio::test]
async fn a_grant_that_would_exceed_the_largest_amount_is_refused() {
    let app = chain().await;
    let before = figures(&app).await;
    let answer = app.post("/api/v1/orders", body("huge", B, "9999999999999.99")).await;
    // The amount itself reads well (the document's pattern takes it): the grant breaks the rule.
    assert_eq!((answer.status, answer.code()), (422, "grant_too_large"), "× 4 is above Money::MAX");
    assert_no_order_and_figures(&app, "huge", &before).await;
}

#[tokio::test]
async fn bodies_of_the_wrong_shape_are_refused_as_invalid_body_and_change_nothing() {
    let app = chain().await;
    let before = figures(&app).await;
    let cases = [
        json!({ "order_id": "shape", "phone": B, "amount": 3000, "paid_at": PAID_AT }),
        json!({ "order_id": "shape", "phone": B, "amount": "3000.00", "points_paid": 0, "paid_at": PAID_AT }),
        json!({ "order_id": "shape", "phone": B, "paid_at": PAID_AT }),
        json!({ "order_id": "shape", "phone": B, "amount": "3000.00", "paid_at": PAID_AT, "granted": "1000000.00" }),
        json!(["shape", B, "3000.00", PAID_AT]),
    ];
    for case in cases {
        let answer = app.post("/api/v1/orders", case.clone()).await;
        assert_eq!((answer.status, answer.code()), (400, "invalid_body"), "{case}");
    }
    assert_no_order_and_figures(&app, "shape", &before).await;
}

#[tokio::test]
async fn bad_order_ids_phones_and_paid_at_are_refused_and_change_nothing() {
    let app = chain().await;
    let before = figures(&app).await;
    let long_id = "x".repeat(65);
    for order_id in ["", long_id.as_str(), "a b", " a", "订单1"] {
        let answer = app.post("/api/v1/orders", body(order_id, B, "3000.00")).await;
        assert_eq!((answer.status, answer.code()), (400, "invalid_order_id"), "order id {order_id:?}");
    }
    let longest = "x".repeat(64);
    for phone in ["1380000000", "12800000002", "", "1380000000a"] {
        let answer = app.post("/api/v1/orders", body(&longest, phone, "3000.00")).await;
        assert_eq!((answer.status, answer.code()), (400, "invalid_phone"), "phone {phone:?}");
    }
    for paid_at in ["2026-01-10T10:00:00", "2026-01-10", "yesterday", "", "1736467800", "2026-02-30T10:00:00+08:00"] {
        let answer = app.post("/api/v1/orders", json!({ "order_id": longest, "phone": B, "amount": "3000.00", "paid_at": paid_at })).await;
        assert_eq!((answer.status, answer.code()), (400, "invalid_paid_at"), "paid_at {paid_at:?}");
    }
    assert_no_order_and_figures(&app, &longest, &before).await;
    app.order(&longest, B, "3000.00", PAID_AT).await;
    assert_eq!(app.summary(A).await["team_volume"], "3000.00", "a 64-character id is fine");
}

#[tokio::test]
async fn an_order_of_an_unknown_member_is_refused_and_changes_nothing() {
    let app = chain().await;
    let before = figures(&app).await;
    let answer = app.post("/api/v1/orders", body("ghost", "13900000000", "3000.00")).await;
    assert_eq!((answer.status, answer.code()), (404, "member_not_found"));
    assert_no_order_and_figures(&app, "ghost", &before).await;
}

#[tokio::test]
async fn an_order_paid_in_the_future_is_refused_and_changes_nothing() {
    let app = chain().await;
    let before = figures(&app).await;
    let tomorrow = (chrono::Utc::now() + chrono::TimeDelta::days(1)).to_rfc3339();
    let answer = app.post("/api/v1/orders", json!({ "order_id": "later", "phone": B, "amount": "3000.00", "paid_at": tomorrow })).await;
    assert_eq!((answer.status, answer.code()), (422, "paid_at_in_future"));
    assert_no_order_and_figures(&app, "later", &before).await;
    let just_now = chrono::Utc::now().to_rfc3339();
    let now = app.post("/api/v1/orders", json!({ "order_id": "now", "phone": B, "amount": "3000.00", "paid_at": just_now })).await;
    assert_eq!(now.status, 201, "an order paid just now is accepted: {}", now.body);
}

#[tokio::test]
async fn points_paid_above_the_usage_ratio_or_negative_is_refused_and_changes_nothing() {
    let app = chain().await;
    let before = figures(&app).await;
    let with_points =
        |points: &str| json!({ "order_id": "pts", "phone": B, "amount": "3000.01", "points_paid": points, "paid_at": PAID_AT });
    let over = app.post("/api/v1/orders", with_points("1500.01")).await;
    assert_eq!((over.status, over.code()), (422, "points_paid_over_ratio"), "50% of 3000.01 is 1500.00 rounded down");
    let negative = app.post("/api/v1/orders", with_points("-1.00")).await;
    assert_eq!((negative.status, negative.code()), (400, "amount_negative"));
    let malformed = app.post("/api/v1/orders", with_points("1.001")).await;
    assert_eq!((malformed.status, malformed.code()), (400, "too_many_decimals"));
    assert_no_order_and_figures(&app, "pts", &before).await;
}

#[tokio::test]
async fn points_paid_above_the_available_balance_rolls_the_whole_order_back() {
    let app = chain().await;
    let before = figures(&app).await;
    assert_eq!(before[2].1["available"], "0.00", "every member starts with no available points");
    let answer = app
        .post(
            "/api/v1/orders",
            json!({ "order_id": "broke", "phone": B, "amount": "3000.00", "points_paid": "1500.00", "paid_at": PAID_AT }),
        )
        .await;
    assert_eq!((answer.status, answer.code()), (422, "insufficient_points"));
    assert_no_order_and_figures(&app, "broke", &before).await;
    let retry = app.post("/api/v1/orders", body("broke", B, "3000.00")).await;
    assert_eq!(retry.status, 201, "the refused id was never recorded, so it is free: {}", retry.body);
    assert_eq!(app.summary(A).await["team_volume"], "3000.00", "counted once, by the accepted order");
}

/// Gives a member available points through the ledger (an admin adjustment).
async fn give_available(app: &TestApp, phone: &str, fen: i64) {
    let amount = greenpoints::domain::money::SignedMoney::from_fen(fen).unwrap();
    let phone = greenpoints::domain::phone::Phone::parse(phone).unwrap();
    let adjustment = greenpoints::app::adjustments::Adjustment::parse(phone, amount, "test", None).unwrap();
    let actor = greenpoints::domain::audit::Actor::CommandLine;
    greenpoints::app::adjustments::adjust(&crate::helpers::application(&app.graph), &actor, adjustment).await.unwrap();
}

#[tokio::test]
async fn points_paid_come_out_of_available_split_the_team_volume_and_return_on_refund() {
    let app = chain().await;
    give_available(&app, B, 200_000).await;
    let answer = app
        .post(
            "/api/v1/orders",
            json!({ "order_id": "mixed", "phone": B, "amount": "3000.00", "points_paid": "1500.00", "paid_at": PAID_AT }),
        )
        .await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    assert_eq!(
        (answer.body["points_paid"].clone(), answer.body["granted"].clone()),
        (json!("1500.00"), json!("7500.00")),
        "points are granted on the full amount"
    );
    assert_eq!(app.summary(B).await["available"], "500.00");
    let a = app.summary(A).await;
    assert_eq!(
        (a["team_volume"].clone(), a["team_volume_cash"].clone(), a["team_volume_points"].clone()),
        (json!("3000.00"), json!("1500.00"), json!("1500.00"))
    );
    let refunded = app.post("/api/v1/orders/mixed/refund", json!({})).await;
    assert_eq!(refunded.status, 200, "{}", refunded.body);
    assert_eq!(app.summary(B).await["available"], "2000.00", "the points paid came back");
    let a = app.summary(A).await;
    assert_eq!((a["team_volume_cash"].clone(), a["team_volume_points"].clone()), (json!("0.00"), json!("0.00")));
}

#[tokio::test]
async fn order_intake_needs_a_key_with_orders_write() {
    let app = chain().await;
    let before = figures(&app).await;
    let none = app.call_with(None, Method::POST, "/api/v1/orders", Some(body("auth", B, "3000.00"))).await;
    assert_eq!((none.status, none.code()), (401, "unauthorized"));
    let unknown = app.call_with(Some("gp_not-a-key"), Method::POST, "/api/v1/orders", Some(body("auth", B, "3000.00"))).await;
    assert_eq!((unknown.status, unknown.code()), (401, "unauthorized"));
    let members_only = app.create_key(&[Scope::MembersWrite]).await;
    let forbidden = app.call_with(Some(&members_only), Method::POST, "/api/v1/orders", Some(body("auth", B, "3000.00"))).await;
    assert_eq!((forbidden.status, forbidden.code()), (403, "forbidden"));
    assert_no_order_and_figures(&app, "auth", &before).await;
    let orders_only = app.create_key(&[Scope::OrdersWrite]).await;
    let allowed = app.call_with(Some(&orders_only), Method::POST, "/api/v1/orders", Some(body("auth", B, "3000.00"))).await;
    assert_eq!(allowed.status, 201, "{}", allowed.body);
    let refused = app.call_with(Some(&members_only), Method::GET, "/api/v1/orders/auth", None).await;
    assert_eq!((refused.status, refused.code()), (403, "forbidden"), "reading orders needs orders:write");
    let read = app.call_with(Some(&orders_only), Method::GET, "/api/v1/orders/auth", None).await;
    assert_eq!((read.status, read.body["granted"].clone()), (200, json!("7500.00")), "the key that records orders reads them");
}

#[tokio::test]
async fn a_refund_empties_the_pool_of_the_order_and_keeps_the_books_balanced() {
    let app = chain().await;
    app.order("r-1", B, "9000.00", PAID_AT).await;
    app.order("r-2", B, "3000.00", PAID_AT).await;
    let answer = app.post("/api/v1/orders/r-1/refund", json!({})).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let order = answer.body;
    assert_eq!(order["status"], "refunded");
    assert_eq!(order["granted"], "27000.00", "the grant is history and never changes");
    assert_eq!(order["released"], "0.00");
    assert_eq!(order["remaining"], "0.00");
    assert_eq!(order["refunded"], "27000.00", "what was still in the pool left it");
    assert!(order["refunded_at"].is_string(), "{order}");
    assert_eq!(order_view(&app, "r-1").await, order, "the refund answer is the order as stored");
    let b = app.summary(B).await;
    assert_eq!(b["pool"], "7500.00", "only the other order is left in the pool");
    assert_eq!(b["level"], "初级", "the level of the largest non-refunded order");
    assert_eq!(order_view(&app, "r-2").await["status"], "live", "the other order is untouched");
}

#[tokio::test]
async fn a_refunded_order_keeps_granted_equal_to_released_plus_remaining_plus_refunded() {
    let app = chain().await;
    for (id, amount) in [("c-1", "3000.00"), ("c-2", "3000.01"), ("c-3", "51000.00"), ("c-4", "2999.99")] {
        app.order(id, B, amount, PAID_AT).await;
        let refunded = app.post(&format!("/api/v1/orders/{id}/refund"), json!({})).await;
        assert_eq!(refunded.status, 200, "{}", refunded.body);
        let fen = |field: &str| -> i64 {
            let text = refunded.body[field].as_str().unwrap();
            let (yuan, fen) = text.split_once('.').unwrap();
            yuan.parse::<i64>().unwrap() * 100 + fen.parse::<i64>().unwrap()
        };
        assert_eq!(fen("granted"), fen("released") + fen("remaining") + fen("refunded"), "{}", refunded.body);
        assert_eq!(refunded.body["status"], "refunded");
    }
    assert_eq!(app.summary(B).await["pool"], "0.00");
}

#[tokio::test]
async fn a_refund_takes_the_amount_out_of_every_uplines_team_volume_and_tier() {
    let app = chain().await;
    app.order("big", B, "50000.00", PAID_AT).await;
    for phone in [A, ROOT] {
        let summary = app.summary(phone).await;
        assert_eq!((summary["team_volume"].clone(), summary["tier"].clone()), (json!("50000.00"), json!("青铜")), "{phone} before");
    }
    assert_eq!(app.summary(B).await["pool"], "175000.00");
    let answer = app.post("/api/v1/orders/big/refund", json!({})).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    for phone in [A, ROOT] {
        let summary = app.summary(phone).await;
        assert_eq!(
            (summary["team_volume"].clone(), summary["team_volume_cash"].clone(), summary["tier"].clone()),
            (json!("0.00"), json!("0.00"), json!(null)),
            "{phone} fell from 青铜 to no tier"
        );
    }
    let b = app.summary(B).await;
    assert_eq!((b["pool"].clone(), b["level"].clone()), (json!("0.00"), json!(null)));
}

#[tokio::test]
async fn refunding_a_refunded_order_answers_the_same_and_changes_nothing() {
    let app = chain().await;
    app.order("twice", B, "9000.00", PAID_AT).await;
    app.order("other", B, "3000.00", PAID_AT).await;
    let first = app.post("/api/v1/orders/twice/refund", json!({})).await;
    assert_eq!(first.status, 200, "{}", first.body);
    let before = figures(&app).await;
    let second = app.post("/api/v1/orders/twice/refund", json!({})).await;
    assert_eq!((second.status, &second.body), (200, &first.body), "same answer, same refunded_at");
    assert_eq!(figures(&app).await, before, "the volume was not taken out twice");
    assert_eq!(app.summary(A).await["team_volume"], "3000.00");
    let replay = app.post("/api/v1/orders", body("twice", B, "9000.00")).await;
    assert_eq!(
        (replay.status, replay.body["granted"].clone()),
        (201, json!("27000.00")),
        "a replay of a refunded order still answers its receipt"
    );
    assert_eq!(figures(&app).await, before, "and does not bring the order back");
}

#[tokio::test]
async fn refunding_an_unknown_order_or_without_orders_write_is_refused_and_changes_nothing() {
    let app = chain().await;
    app.order("keep", B, "3000.00", PAID_AT).await;
    let stored = order_view(&app, "keep").await;
    let before = figures(&app).await;
    let unknown = app.post("/api/v1/orders/nope/refund", json!({})).await;
    assert_eq!((unknown.status, unknown.code()), (404, "order_not_found"));
    let malformed = app.post("/api/v1/orders/a%20b/refund", json!({})).await;
    assert_eq!((malformed.status, malformed.code()), (400, "invalid_order_id"));
    let members_only = app.create_key(&[Scope::MembersWrite]).await;
    let forbidden = app.call_with(Some(&members_only), Method::POST, "/api/v1/orders/keep/refund", None).await;
    assert_eq!((forbidden.status, forbidden.code()), (403, "forbidden"));
    let none = app.call_with(None, Method::POST, "/api/v1/orders/keep/refund", None).await;
    assert_eq!((none.status, none.code()), (401, "unauthorized"));
    assert_eq!(order_view(&app, "keep").await, stored, "the order is still live");
    assert_eq!(figures(&app).await, before);
}

#[tokio::test]
async fn the_same_order_sent_many_times_at_once_is_recorded_once_and_every_answer_is_the_same() {
    let app = chain().await;
    let sends = (0..8).map(|_| app.post("/api/v1/orders", body("race", B, "3000.00")));
    let answers = join_all(sends).await;
    for answer in &answers {
        assert_eq!((answer.status, &answer.body), (201, &answers[0].body), "every retry gets the first answer");
    }
    assert_eq!(app.summary(A).await["team_volume"], "3000.00", "counted once");
    assert_eq!(app.summary(B).await["pool"], "7500.00", "granted once");
}

#[tokio::test]
async fn orders_paying_with_the_same_points_at_once_never_spend_more_than_the_balance() {
    let app = chain().await;
    give_available(&app, B, 300_000).await;
    let sends = (0..6).map(|i| {
        app.post(
            "/api/v1/orders",
            json!({ "order_id": format!("spend-{i}"), "phone": B, "amount": "3000.00", "points_paid": "1000.00", "paid_at": PAID_AT }),
        )
    });
    let answers = join_all(sends).await;
    let accepted = answers.iter().filter(|a| a.status == 201).count();
    assert_eq!(accepted, 3, "3000.00 available pays for three orders of 1000.00 points");
    for refused in answers.iter().filter(|a| a.status != 201) {
        assert_eq!((refused.status, refused.code()), (422, "insufficient_points"));
    }
    let b = app.summary(B).await;
    assert_eq!((b["available"].clone(), b["pool"].clone()), (json!("0.00"), json!("22500.00")));
    assert_eq!(app.summary(A).await["team_volume_points"], "3000.00");
}

#[tokio::test]
async fn verify_holds_the_team_aggregates_against_the_orders_below() {
    let app = chain().await;
    app.order("agg-1", B, "3000.00", PAID_AT).await;
    app.assert_verified().await;
    // Someone writes a wrong team volume into the graph by hand.
    app.graph
        .run(neo4rs::query("MATCH (t:Team {phone: $phone}) SET t.team_cash_fen = t.team_cash_fen + 1").param("phone", A))
        .await
        .unwrap();
    let violations = greenpoints::app::verify::verify(&app.graph).await.unwrap();
    let rules: Vec<(&str, &str)> = violations.iter().map(|v| (v.rule, v.subject.as_str())).collect();
    assert_eq!(rules, [("team_aggregates", "member 13800000001")], "{violations:#?}");
}

#[tokio::test]
async fn an_order_under_a_hold_counts_from_the_day_after_its_hold_and_a_refund_inside_it_leaves_no_release() {
    let app = spawn_app().await;
    let mut held = crate::params::defaults(&crate::helpers::day(9));
    held["hold_days"] = json!(3);
    let version = app.put("/api/v1/params", held).await;
    assert_eq!((version.status, &version.body["hold_days"]), (201, &json!(3)), "{}", version.body);
    app.member(A, None).await;
    app.member(B, Some(A)).await;
    // Paid under version 1, which holds nothing: it releases from the day after its paid day.
    app.order("sponsor", A, "3000.00", &crate::helpers::at(10, "10:00")).await;
    let kept = app.order("kept", B, "30000.00", &crate::helpers::at(8, "10:00")).await;
    assert_eq!(kept["counts_from"], crate::helpers::day(4), "paid 8 days ago, held 3 days: its start day is 5 days ago");
    app.order("returned", B, "9000.00", &crate::helpers::at(8, "11:00")).await;

    app.settle(&crate::helpers::day(8)).await;
    app.settle(&crate::helpers::day(5)).await;
    for days_ago in 5..=8 {
        let payouts = app.get(&format!("/api/v1/settlements/{}/payouts", crate::helpers::day(days_ago))).await.body;
        let paid: Vec<(&str, &str)> =
            payouts["items"].as_array().unwrap().iter().map(|p| (p["phone"].as_str().unwrap(), p["total"].as_str().unwrap())).collect();
        assert_eq!(paid, [(A, "36.00")], "B's orders release nothing while held, nor pay A a share: {payouts}");
    }
    let refund = app.post("/api/v1/orders/returned/refund", json!({})).await;
    assert_eq!(refund.status, 200, "{}", refund.body);
    assert_eq!((&refund.body["released"], &refund.body["refunded"]), (&json!("0.00"), &json!("27000.00")), "{}", refund.body);

    app.settle(&crate::helpers::day(4)).await;
    let b = app.statement(B, &crate::helpers::day(4)).await;
    assert_eq!(b["static"], "360.00", "30000 × 1.2%, and nothing of the refunded order: {b}");
    let a = app.statement(A, &crate::helpers::day(4)).await;
    assert_eq!((&a["static"], &a["share_g1"]), (&json!("36.00"), &json!("180.00")), "{a}");
    let order = order_view(&app, "returned").await;
    assert_eq!((&order["released"], &order["status"]), (&json!("0.00"), &json!("refunded")));
    app.assert_verified().await;
}
