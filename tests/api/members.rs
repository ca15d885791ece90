use greenpoints::domain::scope::Scope;
use reqwest::Method;
use serde_json::json;

use crate::helpers::spawn_app;

const ROOT: &str = "13800000000";
const A: &str = "13800000001";
const B: &str = "13800000002";
const C: &str = "13800000003";

#[tokio::test]
async fn the_first_member_is_the_root_and_a_second_root_is_refused() {
    let app = spawn_app().await;
    app.member(ROOT, None).await;
    let second = app.post("/api/v1/members", json!({ "phone": A, "sponsor_phone": null })).await;
    assert_eq!((second.status, second.code()), (409, "root_exists"));
    assert_eq!(app.get(&format!("/api/v1/members/{A}")).await.status, 404, "the refused root was not created");
    let root = app.summary(ROOT).await;
    assert_eq!(root["sponsor_phone"], json!(null));
    assert_eq!(root["team_size"], 0);
}

#[tokio::test]
async fn registration_refuses_bad_phones_unknown_sponsors_and_duplicates_and_changes_nothing() {
    let app = spawn_app().await;
    app.member(ROOT, None).await;
    for phone in ["1380000000", "138000000001", "12800000000", "23800000000", "1380000000a", "", " 13800000001"] {
        let answer = app.post("/api/v1/members", json!({ "phone": phone, "sponsor_phone": ROOT })).await;
        assert_eq!((answer.status, answer.code()), (400, "invalid_phone"), "phone {phone:?}");
    }
    let bad_sponsor = app.post("/api/v1/members", json!({ "phone": A, "sponsor_phone": "1380000" })).await;
    assert_eq!((bad_sponsor.status, bad_sponsor.code()), (400, "invalid_phone"));
    let unknown = app.post("/api/v1/members", json!({ "phone": A, "sponsor_phone": B })).await;
    assert_eq!((unknown.status, unknown.code()), (422, "sponsor_not_found"));
    app.member(A, Some(ROOT)).await;
    let duplicate = app.post("/api/v1/members", json!({ "phone": A, "sponsor_phone": ROOT })).await;
    assert_eq!((duplicate.status, duplicate.code()), (409, "phone_taken"));
    let duplicate_root = app.post("/api/v1/members", json!({ "phone": ROOT, "sponsor_phone": A })).await;
    assert_eq!((duplicate_root.status, duplicate_root.code()), (409, "phone_taken"));
    let short_password = app.post("/api/v1/members", json!({ "phone": B, "sponsor_phone": ROOT, "password": "short" })).await;
    assert_eq!((short_password.status, short_password.code()), (400, "invalid_password"));
    let not_json = app.call_with(Some(&app.key), Method::POST, "/api/v1/members", Some(json!("13800000002"))).await;
    assert_eq!((not_json.status, not_json.code()), (400, "invalid_body"));
    let unknown_field = app.post("/api/v1/members", json!({ "phone": B, "sponsor_phone": ROOT, "role": "admin" })).await;
    assert_eq!((unknown_field.status, unknown_field.code()), (400, "invalid_body"));
    let root = app.summary(ROOT).await;
    assert_eq!((root["team_size"].as_i64(), root["direct_count"].as_i64()), (Some(1), Some(1)), "only A was registered");
}

#[tokio::test]
async fn a_password_given_at_registration_is_stored_as_an_argon2id_hash() {
    let app = spawn_app().await;
    app.member(ROOT, None).await;
    let answer =
        app.post("/api/v1/members", json!({ "phone": A, "sponsor_phone": ROOT, "password": "correct horse", "name": "张三" })).await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    assert_eq!(answer.body["name"], "张三");
    let joined = chrono::DateTime::parse_from_rfc3339(answer.body["joined_at"].as_str().expect("when it joined")).unwrap();
    assert_eq!(joined.offset().local_minus_utc(), 8 * 3600, "with the scheme's offset");
    assert!((chrono::Utc::now() - joined.to_utc()).num_seconds().abs() < 60, "{joined}");
    assert!(answer.body.get("password_hash").is_none(), "the hash is never sent");
    #[derive(serde::Deserialize)]
    struct Hash {
        password_hash: String,
    }
    let stored: Hash = app
        .graph
        .row(neo4rs::query("MATCH (m:Member {phone: $phone}) RETURN m.password_hash AS password_hash").param("phone", A))
        .await
        .unwrap()
        .unwrap();
    assert!(stored.password_hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{}", stored.password_hash);
}

#[tokio::test]
async fn the_summary_shows_team_volume_split_tier_level_and_counts() {
    let app = spawn_app().await;
    app.member(ROOT, None).await;
    app.member(A, Some(ROOT)).await;
    app.member(B, Some(A)).await;
    app.member(C, Some(A)).await;
    app.order("o-b", B, "30000.00", "2026-01-10T10:00:00+08:00").await;
    let paid_with_points = app
        .post(
            "/api/v1/orders",
            json!({ "order_id": "o-c", "phone": C, "amount": "25000.00", "points_paid": "0.00", "paid_at": "2026-01-10T11:00:00+08:00" }),
        )
        .await;
    assert_eq!(paid_with_points.status, 201);
    app.order("o-a", A, "9000.00", "2026-01-10T12:00:00+08:00").await;

    let a = app.summary(A).await;
    assert_eq!(a["team_volume"], "55000.00");
    assert_eq!(a["team_volume_cash"], "55000.00");
    assert_eq!(a["team_volume_points"], "0.00");
    assert_eq!(a["tier"], "青铜");
    assert_eq!(a["level"], "中级");
    assert_eq!(a["pool"], "27000.00", "9000 × 3");
    assert_eq!((a["direct_count"].as_i64(), a["team_size"].as_i64()), (Some(2), Some(2)));
    let root = app.summary(ROOT).await;
    assert_eq!(root["team_volume"], "64000.00", "A's own order counts for the root, not for A");
    assert_eq!(root["tier"], "青铜");
    assert_eq!(root["level"], json!(null));
    assert_eq!((root["direct_count"].as_i64(), root["team_size"].as_i64()), (Some(1), Some(3)));
    assert_eq!(root["peer_downlines"], json!([A]), "A is the root's nearest same-tier member");
    assert_eq!(a["peer_uplines"], json!([ROOT]));
    let b = app.summary(B).await;
    assert_eq!((b["tier"].clone(), b["team_volume"].clone(), b["level"].clone()), (json!(null), json!("0.00"), json!("高级")));
    assert_eq!(app.get("/api/v1/members/13900000000").await.code(), "member_not_found");
    assert_eq!(app.get("/api/v1/members/123").await.code(), "invalid_phone");
}

#[tokio::test]
async fn the_downline_pages_by_depth_then_phone_down_to_the_depth_asked() {
    let app = spawn_app().await;
    app.member(ROOT, None).await;
    app.member(A, Some(ROOT)).await;
    app.member(B, Some(ROOT)).await;
    app.member(C, Some(A)).await;
    app.member("13800000004", Some(C)).await;

    let first = app.get(&format!("/api/v1/members/{ROOT}/downline?depth=2&limit=2")).await;
    assert_eq!(first.status, 200, "{}", first.body);
    let phones = |page: &serde_json::Value| -> Vec<(String, i64)> {
        page["items"].as_array().unwrap().iter().map(|m| (m["phone"].as_str().unwrap().to_string(), m["depth"].as_i64().unwrap())).collect()
    };
    assert_eq!(phones(&first.body), vec![(A.to_string(), 1), (B.to_string(), 1)]);
    let cursor = first.body["next_cursor"].as_str().expect("a second page").to_string();
    let second = app.get(&format!("/api/v1/members/{ROOT}/downline?depth=2&limit=2&cursor={cursor}")).await;
    assert_eq!(phones(&second.body), vec![(C.to_string(), 2)]);
    assert_eq!(second.body["next_cursor"], json!(null));
    assert_eq!(second.body["items"][0]["sponsor_phone"], A);

    let direct = app.get(&format!("/api/v1/members/{ROOT}/downline")).await;
    assert_eq!(phones(&direct.body).len(), 2, "depth defaults to 1");
    for (query, code) in [
        ("depth=0", "invalid_depth"),
        ("depth=11", "invalid_depth"),
        ("limit=0", "invalid_limit"),
        ("limit=501", "invalid_limit"),
        ("cursor=nonsense", "invalid_cursor"),
        ("depth=x", "invalid_query"),
    ] {
        let answer = app.get(&format!("/api/v1/members/{ROOT}/downline?{query}")).await;
        assert_eq!((answer.status, answer.code()), (400, code), "{query}");
    }
    assert_eq!(app.get("/api/v1/members/13900000000/downline").await.code(), "member_not_found");
}

#[tokio::test]
async fn a_sponsor_change_moves_the_whole_branch_and_its_volume_to_the_new_uplines() {
    let app = spawn_app().await;
    app.member(ROOT, None).await;
    app.member(A, Some(ROOT)).await;
    app.member(B, Some(ROOT)).await;
    app.member(C, Some(A)).await;
    app.member("13800000004", Some(C)).await;
    app.order("o1", "13800000004", "51000.00", "2026-01-10T10:00:00+08:00").await;
    app.order("o2", C, "3000.00", "2026-01-10T10:00:00+08:00").await;

    let moved = app.put(&format!("/api/v1/members/{C}/sponsor"), json!({ "sponsor_phone": B })).await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    assert_eq!(moved.body["sponsor_phone"], B);
    let a = app.summary(A).await;
    assert_eq!((a["team_volume"].clone(), a["team_size"].as_i64(), a["direct_count"].as_i64()), (json!("0.00"), Some(0), Some(0)));
    let b = app.summary(B).await;
    assert_eq!((b["team_volume"].clone(), b["team_size"].as_i64(), b["tier"].clone()), (json!("54000.00"), Some(2), json!("青铜")));
    let root = app.summary(ROOT).await;
    assert_eq!((root["team_volume"].clone(), root["team_size"].as_i64()), (json!("54000.00"), Some(4)));
}

#[tokio::test]
async fn a_sponsor_change_that_would_make_a_cycle_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    app.member(ROOT, None).await;
    app.member(A, Some(ROOT)).await;
    app.member(B, Some(A)).await;
    app.member(C, Some(B)).await;
    for (member, sponsor) in [(A, A), (A, C), (A, B), (ROOT, C)] {
        let answer = app.put(&format!("/api/v1/members/{member}/sponsor"), json!({ "sponsor_phone": sponsor })).await;
        assert_eq!((answer.status, answer.code()), (422, "sponsor_cycle"), "{member} under {sponsor}");
    }
    let unknown_sponsor = app.put(&format!("/api/v1/members/{A}/sponsor"), json!({ "sponsor_phone": "13900000000" })).await;
    assert_eq!((unknown_sponsor.status, unknown_sponsor.code()), (422, "sponsor_not_found"));
    let unknown_member = app.put("/api/v1/members/13900000000/sponsor", json!({ "sponsor_phone": A })).await;
    assert_eq!((unknown_member.status, unknown_member.code()), (404, "member_not_found"));
    assert_eq!(app.summary(A).await["sponsor_phone"], ROOT);
    assert_eq!(app.summary(ROOT).await["team_size"], 3);
    assert_eq!(app.summary(A).await["team_size"], 2);
}

#[tokio::test]
async fn member_endpoints_need_a_key_and_their_scope() {
    let app = spawn_app().await;
    app.member(ROOT, None).await;
    let body = json!({ "phone": A, "sponsor_phone": ROOT });
    let none = app.call_with(None, Method::POST, "/api/v1/members", Some(body.clone())).await;
    assert_eq!((none.status, none.code()), (401, "unauthorized"));
    let wrong = app.call_with(Some("gp_not-a-key"), Method::GET, &format!("/api/v1/members/{ROOT}"), None).await;
    assert_eq!((wrong.status, wrong.code()), (401, "unauthorized"));
    let orders_only = app.create_key(&[Scope::OrdersWrite]).await;
    let forbidden = app.call_with(Some(&orders_only), Method::POST, "/api/v1/members", Some(body.clone())).await;
    assert_eq!((forbidden.status, forbidden.code()), (403, "forbidden"));
    let members_only = app.create_key(&[Scope::MembersWrite]).await;
    let change = app
        .call_with(Some(&members_only), Method::PUT, &format!("/api/v1/members/{ROOT}/sponsor"), Some(json!({ "sponsor_phone": A })))
        .await;
    assert_eq!((change.status, change.code()), (403, "forbidden"), "a sponsor change needs the admin scope");
    assert_eq!(app.get(&format!("/api/v1/members/{A}")).await.status, 404, "nothing was registered");
    let allowed = app.call_with(Some(&members_only), Method::POST, "/api/v1/members", Some(body)).await;
    assert_eq!(allowed.status, 201);
    let read = app.call_with(Some(&orders_only), Method::GET, &format!("/api/v1/members/{A}"), None).await;
    assert_eq!((read.status, read.code()), (403, "forbidden"), "reading a member needs members:read");
    let readers = app.create_key(&[Scope::MembersRead]).await;
    let read = app.call_with(Some(&readers), Method::GET, &format!("/api/v1/members/{A}"), None).await;
    assert_eq!(read.status, 200, "a members:read key reads members");
}

#[tokio::test]
async fn an_adjustment_sent_again_with_its_key_replays_the_first_answer_and_moves_nothing() {
    let app = spawn_app().await;
    app.member(A, None).await;
    let path = format!("/api/v1/members/{A}/adjustments");
    let body = json!({"amount": "+100.00", "reason": "campaign", "idempotency_key": "adj-1"});
    let first = app.post(&path, body.clone()).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let again = app.post(&path, body).await;
    assert_eq!((again.status, &again.body), (201, &first.body), "the replay answers the first answer");
    assert_eq!(app.summary(A).await["available"], "100.00", "moved once");
    let other = app.post(&path, json!({"amount": "+5.00", "reason": "campaign", "idempotency_key": "adj-1"})).await;
    assert_eq!((other.status, other.code()), (409, "idempotency_key_conflict"));
    let without_key = app.post(&path, json!({"amount": "+100.00", "reason": "campaign"})).await;
    assert_eq!(without_key.body["available"], "200.00", "without a key every request moves points");
    app.assert_verified().await;
}
