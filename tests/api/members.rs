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

/// R with A and B under it, C and E under A, D under B; orders of 3000 (A), 9000 (B), 27000 (C),
/// 51000 (D) and 1000 (E, below every level). Team volumes: R 91000 (青铜), B 51000 (青铜), A
/// 28000, the rest 0.
pub(crate) async fn listed_network(app: &crate::helpers::TestApp) -> [&'static str; 6] {
    const D: &str = "13800000004";
    const E: &str = "13800000005";
    app.member(ROOT, None).await;
    for (phone, sponsor) in [(A, ROOT), (B, ROOT), (C, A), (D, B), (E, A)] {
        app.member(phone, Some(sponsor)).await;
    }
    for (phone, amount) in [(A, "3000.00"), (B, "9000.00"), (C, "27000.00"), (D, "51000.00"), (E, "1000.00")] {
        app.order(&format!("o-{phone}"), phone, amount, &crate::helpers::at(1, "10:00")).await;
    }
    [ROOT, A, B, C, D, E]
}

/// Every phone of the list read page by page at `query` (with `limit`), checking that each page
/// holds at most `limit` items and that the last one says so.
async fn read_all(app: &crate::helpers::TestApp, query: &str, limit: usize) -> Vec<String> {
    let mut phones = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..20 {
        let after = cursor.as_deref().map(|c| format!("&cursor={c}")).unwrap_or_default();
        let page = app.get(&format!("/api/v1/members?limit={limit}{query}{after}")).await;
        assert_eq!(page.status, 200, "{}", page.body);
        let items = page.body["items"].as_array().unwrap();
        assert!(items.len() <= limit, "{}", page.body);
        phones.extend(items.iter().map(|m| m["phone"].as_str().unwrap().to_string()));
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => return phones,
        }
    }
    panic!("the list did not end: {phones:?}");
}

#[tokio::test]
async fn the_member_list_pages_every_member_once_by_team_volume_or_by_join_date() {
    let app = spawn_app().await;
    let [r, a, b, c, d, e] = listed_network(&app).await;
    let first = app.get("/api/v1/members?limit=2").await;
    assert_eq!(first.status, 200, "{}", first.body);
    let top = &first.body["items"][0];
    assert_eq!((top["phone"].as_str(), top["tier"].as_str(), top["team_volume"].as_str()), (Some(r), Some("青铜"), Some("91000.00")));
    assert_eq!((top["team_size"].as_i64(), top["direct_count"].as_i64()), (Some(5), Some(2)));
    assert!(top["joined_at"].as_str().is_some_and(|t| t.ends_with("+08:00")), "{top}");
    assert_eq!(first.body["items"][1]["level"], "中级", "B's 9000 order");

    let by_volume = [r, b, a, e, d, c].map(String::from).to_vec();
    assert_eq!(read_all(&app, "", 2).await, by_volume, "equal volumes by phone, descending");
    assert_eq!(read_all(&app, "", 50).await, by_volume);
    let by_joined = [e, d, c, b, a, r].map(String::from).to_vec();
    assert_eq!(read_all(&app, "&sort=joined", 4).await, by_joined, "the newest first");
}

#[tokio::test]
async fn the_member_list_keeps_one_tier_or_one_level_in_either_order() {
    let app = spawn_app().await;
    let [r, a, b, c, d, e] = listed_network(&app).await;
    let phones = |list: &[&str]| list.iter().map(|p| p.to_string()).collect::<Vec<_>>();
    assert_eq!(read_all(&app, "&tier=青铜", 1).await, phones(&[r, b]));
    assert_eq!(read_all(&app, "&tier=none", 3).await, phones(&[a, e, d, c]));
    assert_eq!(read_all(&app, "&tier=青铜&sort=joined", 1).await, phones(&[b, r]));
    assert_eq!(read_all(&app, "&level=VIP", 5).await, phones(&[d]));
    assert_eq!(read_all(&app, "&level=none", 1).await, phones(&[r, e]), "no order, or one below every level");
    assert_eq!(read_all(&app, "&level=初级&tier=none&sort=joined", 5).await, phones(&[a]));
    assert!(read_all(&app, "&tier=王者", 5).await.is_empty());
}

#[tokio::test]
async fn the_member_list_refuses_an_unknown_sort_tier_level_or_a_cursor_of_another_order() {
    let app = spawn_app().await;
    listed_network(&app).await;
    for (query, code) in
        [("sort=name", "invalid_sort"), ("tier=Gold", "invalid_tier"), ("level=超级", "invalid_level"), ("limit=0", "invalid_limit")]
    {
        let answer = app.get(&format!("/api/v1/members?{query}")).await;
        assert_eq!((answer.status, answer.code()), (400, code), "{query}: {}", answer.body);
    }
    let cursor = app.get("/api/v1/members?limit=1").await.body["next_cursor"].as_str().unwrap().to_string();
    let crossed = app.get(&format!("/api/v1/members?sort=joined&cursor={cursor}")).await;
    assert_eq!((crossed.status, crossed.code()), (400, "invalid_cursor"));
    let orders_only = app.create_key(&[Scope::OrdersWrite]).await;
    let refused = app.call_with(Some(&orders_only), Method::GET, "/api/v1/members", None).await;
    assert_eq!(refused.status, 403);
}

#[tokio::test]
async fn a_sponsor_change_moves_both_teams_to_their_new_place_in_the_member_list() {
    let app = spawn_app().await;
    let [r, a, b, c, d, e] = listed_network(&app).await;
    let moved = app.put(&format!("/api/v1/members/{d}/sponsor"), json!({"sponsor_phone": a})).await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    let phones = |list: &[&str]| list.iter().map(|p| p.to_string()).collect::<Vec<_>>();
    assert_eq!(read_all(&app, "", 50).await, phones(&[r, a, e, d, c, b]), "A now has D's 51000 and B nothing");
    assert_eq!(read_all(&app, "&tier=青铜", 50).await, phones(&[r, a]));
}

/// Every member's descending joined key, as registration and the schema step write it in Cypher,
/// is the one the list's probe computes from a cursor.
async fn assert_joined_twins(app: &crate::helpers::TestApp) {
    #[derive(serde::Deserialize)]
    struct Keys {
        key: String,
        desc: String,
    }
    let rows: Vec<Keys> =
        app.graph.rows(neo4rs::query("MATCH (m:Member) RETURN m.joined_key AS key, m.joined_desc AS desc")).await.unwrap();
    assert_eq!(rows.len(), 6);
    for Keys { key, desc } in rows {
        assert_eq!(greenpoints::graph::members::descending_key(&key), Some(desc), "{key}");
    }
}

#[tokio::test]
async fn members_stored_before_the_member_list_get_their_list_keys_when_the_schema_is_applied() {
    let app = spawn_app().await;
    let [r, a, b, c, d, e] = listed_network(&app).await;
    app.fold_teams().await;
    assert_joined_twins(&app).await;
    app.graph.run(neo4rs::query("MATCH (t:Team) REMOVE t.volume_key")).await.unwrap();
    app.graph.run(neo4rs::query("MATCH (m:Member) REMOVE m.joined_key, m.joined_desc")).await.unwrap();
    assert!(read_all(&app, "", 50).await.is_empty(), "without their keys no member is listed");
    assert!(read_all(&app, "&sort=joined", 50).await.is_empty());

    greenpoints::graph::schema::apply(&app.graph, chrono::Utc::now().timestamp_millis()).await.unwrap();
    assert_eq!(read_all(&app, "", 2).await, [r, b, a, e, d, c].map(String::from).to_vec(), "by team volume again");
    assert_eq!(read_all(&app, "&sort=joined", 4).await, [e, d, c, b, a, r].map(String::from).to_vec(), "by join date again");
    assert_joined_twins(&app).await;
    greenpoints::graph::schema::apply(&app.graph, chrono::Utc::now().timestamp_millis()).await.unwrap();
    assert_eq!(read_all(&app, "", 50).await.len(), 6, "applying the schema again changes nothing");
}
