//! The daily settlement through the API: the worked examples of SPEC §3 figure for figure, the
//! run rules, totals, payouts, preview, statements with their sources, adjustments.
use serde_json::{Value, json};

use crate::helpers::{at, day, spawn_app};

/// The orders of the examples are paid on this day; it settles from the day after.
const PAID: i64 = 220;

fn figures(statement: &Value) -> [&str; 6] {
    ["static", "share_g1", "share_g2", "team", "peer", "forfeited"].map(|k| statement[k].as_str().unwrap())
}

#[tokio::test]
async fn worked_example_1_the_first_order_runs_out_on_its_209th_day_and_then_108_a_day_remain() {
    let app = spawn_app().await;
    app.member("13800000001", None).await;
    app.order("A-1", "13800000001", "3000.00", &at(PAID, "09:00")).await;
    let receipt = app.order("A-2", "13800000001", "9000.00", &at(PAID, "10:00")).await;
    assert_eq!(receipt["granted"], "27000.00");

    assert_eq!(app.settle(&day(PAID - 1)).await, [day(PAID - 1)], "the first settlement is the day requested");
    assert_eq!(app.statement("13800000001", &day(PAID - 1)).await["static"], "144.00", "36 + 108 a day");
    assert_eq!(app.settle(&day(PAID - 208)).await.len(), 207, "catch-up settles every day between");
    let first = app.get("/api/v1/orders/A-1").await.body;
    assert_eq!((first["released"].as_str(), first["remaining"].as_str()), (Some("7488.00"), Some("12.00")), "208 × 36");

    app.settle(&day(PAID - 209)).await;
    assert_eq!(app.statement("13800000001", &day(PAID - 209)).await["static"], "120.00", "the last 12 and 108");
    assert_eq!(app.get("/api/v1/orders/A-1").await.body["remaining"], "0.00", "complete (出局)");
    app.settle(&day(PAID - 210)).await;
    assert_eq!(app.statement("13800000001", &day(PAID - 210)).await["static"], "108.00");
    let a = app.summary("13800000001").await;
    assert_eq!((a["pool"].as_str(), a["available"].as_str()), (Some("4320.00"), Some("30180.00")), "27000 − 210 × 108");
    app.assert_verified().await;
}

#[tokio::test]
async fn worked_example_2_the_sponsors_share_comes_out_of_its_first_order() {
    let app = spawn_app().await;
    app.member("13800000001", None).await;
    app.member("13800000002", Some("13800000001")).await;
    app.order("A-1", "13800000001", "3000.00", &at(3, "09:00")).await;
    app.order("A-2", "13800000001", "9000.00", &at(3, "10:00")).await;
    app.order("B-1", "13800000002", "3000.00", &at(3, "09:30")).await;
    app.settle(&day(2)).await;

    assert_eq!(app.statement("13800000002", &day(2)).await["static"], "36.00");
    let a = app.statement("13800000001", &day(2)).await;
    assert_eq!(figures(&a), ["144.00", "18.00", "0.00", "0.00", "0.00", "0.00"], "50% × 36");
    assert_eq!(app.get("/api/v1/orders/A-1").await.body["remaining"], "7446.00", "7500 − 36 − 18");
    assert_eq!(app.get("/api/v1/orders/A-2").await.body["remaining"], "26892.00", "27000 − 108");
    app.assert_verified().await;
}

/// The default tiers' names and rates at thresholds that give the example's members its tiers.
async fn put_example_3_tiers(app: &crate::helpers::TestApp, from: &str) {
    let mut document = crate::params::document_of(&app.get("/api/v1/params").await.body["current"]);
    let document = document.as_object_mut().unwrap();
    document.insert("effective_from".into(), json!(from));
    let minimums = ["800000.00", "834000.00", "834500.00", "835000.00", "835500.00", "836000.00", "840000.00"];
    for (tier, minimum) in document["team_tiers"].as_array_mut().unwrap().iter_mut().zip(minimums) {
        tier["min_volume"] = json!(minimum);
    }
    let answer = app.put("/api/v1/params", Value::Object(document.clone())).await;
    assert_eq!(answer.status, 201, "{}", answer.body);
}

/// The network of worked example 3 (A ← B ← C ← R, and L under A), its tiers in force, day(2) settled.
/// Returns the phones (a, b, c, r, l).
pub(crate) async fn example_3(app: &crate::helpers::TestApp) -> (&'static str, &'static str, &'static str, &'static str, &'static str) {
    put_example_3_tiers(app, &day(3)).await;
    let (a, b, c, r, l) = ("13800000001", "13800000002", "13800000003", "13800000004", "13800000005");
    app.member(a, None).await;
    app.member(b, Some(a)).await;
    app.member(c, Some(b)).await;
    app.member(r, Some(c)).await;
    app.member(l, Some(a)).await;
    for (id, phone, amount) in [("a", a, "3000.00"), ("b", b, "3000.00"), ("c", c, "3000.00"), ("r", r, "833333.34"), ("l", l, "1000.00")] {
        app.order(id, phone, amount, &at(3, "10:00")).await;
    }
    app.settle(&day(2)).await;
    (a, b, c, r, l)
}

#[tokio::test]
async fn worked_example_3_each_upline_gets_its_rate_minus_the_rates_below_it() {
    let app = spawn_app().await;
    let (a, b, c, r, _) = example_3(&app).await;

    // R, below C, releases 10000 today.
    assert_eq!(app.statement(r, &day(2)).await["static"], "10000.00");
    let c_day = app.statement(c, &day(2)).await;
    assert_eq!((&c_day["tier"], &c_day["team_rate"]), (&json!("青铜"), &json!("0.1")));
    assert_eq!(
        c_day["sources"][0]["bands"][0],
        json!({"tier_on_the_way": null, "release": "10000.00", "kind": "team", "rate": "0.1", "tier_rate": "0", "amount": "1000.00"}),
        "C gets 1000"
    );
    let b_day = app.statement(b, &day(2)).await;
    assert_eq!((&b_day["tier"], &b_day["team_rate"]), (&json!("星耀"), &json!("0.44")));
    assert_eq!(
        b_day["sources"][0]["bands"][1],
        json!({"tier_on_the_way": "青铜", "release": "10000.00", "kind": "team", "rate": "0.34", "tier_rate": "0.1", "amount": "3400.00"}),
        "B gets 4400 − 1000"
    );
    let a_day = app.statement(a, &day(2)).await;
    assert_eq!((&a_day["tier"], &a_day["team_rate"]), (&json!("王者"), &json!("0.5")));
    // A meets R's 10000 (and C's own 36) after B's 星耀: 5000 − 4400 = 600 of R's.
    assert_eq!(
        a_day["sources"][0]["bands"][1],
        json!({"tier_on_the_way": "星耀", "release": "10036.00", "kind": "team", "rate": "0.06", "tier_rate": "0.44", "amount": "602.16"})
    );
    // Plus their cuts of C's and B's own 36 by the same walk, and the shares.
    assert_eq!(figures(&c_day), ["36.00", "5000.00", "0.00", "1000.00", "0.00", "0.00"]);
    assert_eq!(figures(&b_day), ["36.00", "18.00", "3000.00", "3415.84", "0.00", "0.00"], "3400 + 44% × 36");
    assert_eq!(figures(&a_day), ["36.00", "18.00", "10.80", "620.16", "0.00", "0.00"], "600 + 6% × 36 + 50% × 36");
    app.assert_verified().await;
}

#[tokio::test]
async fn worked_example_4_a_same_tier_sponsor_gets_the_peer_bonus_and_the_team_bonus_on_its_referrals_own_release() {
    let app = spawn_app().await;
    let (a, b, c) = ("13800000001", "13800000002", "13800000003");
    app.member(a, None).await;
    app.member(b, Some(a)).await;
    app.member(c, Some(b)).await;
    app.order("a", a, "3000.00", &at(3, "10:00")).await;
    app.order("b", b, "3000.00", &at(3, "10:00")).await;
    app.order("c", c, "60000.00", &at(3, "10:00")).await;
    app.settle(&day(2)).await;

    let b_day = app.statement(b, &day(2)).await;
    let a_day = app.statement(a, &day(2)).await;
    assert_eq!((b_day["tier"].as_str(), a_day["tier"].as_str()), (Some("青铜"), Some("青铜")));
    assert_eq!(figures(&b_day), ["36.00", "360.00", "0.00", "72.00", "0.00", "0.00"], "B: 10% of C's 720");
    assert_eq!(figures(&a_day), ["36.00", "18.00", "216.00", "3.60", "21.60", "0.00"], "A: peer 3% of 720, 10% of B's 36");
    let bands = &a_day["sources"][0]["bands"];
    assert_eq!(
        bands[0],
        json!({"tier_on_the_way": null, "release": "36.00", "kind": "team", "rate": "0.1", "tier_rate": "0", "amount": "3.60"})
    );
    assert_eq!(
        bands[1],
        json!({"tier_on_the_way": "青铜", "release": "720.00", "kind": "peer", "rate": "0.03", "tier_rate": "0.1", "amount": "21.60"})
    );
    app.assert_verified().await;
}

#[tokio::test]
async fn days_are_settled_in_order_exactly_once_and_a_day_that_has_not_begun_is_refused() {
    let app = spawn_app().await;
    app.member("13800000001", None).await;
    app.order("A-1", "13800000001", "3000.00", &at(10, "10:00")).await;

    let tomorrow = app.post("/api/v1/settlements", json!({"date": day(-1)})).await;
    assert_eq!((tomorrow.status, tomorrow.code()), (422, "day_not_begun"));
    assert_eq!(app.get(&format!("/api/v1/settlements/{}", day(-1))).await.status, 404, "nothing was settled");

    assert_eq!(app.settle(&day(5)).await, [day(5)]);
    assert_eq!(app.settle(&day(5)).await, Vec::<String>::new(), "settled already: nothing to do");
    assert_eq!(app.settle(&day(7)).await, Vec::<String>::new(), "an earlier day is settled already");
    assert_eq!(app.settle(&day(2)).await, [day(4), day(3), day(2)]);
    let settlement = app.get(&format!("/api/v1/settlements/{}", day(3))).await.body;
    assert_eq!(settlement["status"], "settled");
    assert_eq!(settlement["params_version"], 1);
    assert_eq!(settlement["totals"]["static"], "36.00");
    assert_eq!(settlement["members_paid"], 1);

    let late = app
        .post("/api/v1/orders", json!({"order_id": "late", "phone": "13800000001", "amount": "3000.00", "paid_at": at(3, "23:59")}))
        .await;
    assert_eq!(late.status, 201, "a late order is never refused: {}", late.body);
    assert_eq!(late.body["counts_from"], day(1), "it missed {} and later, and counts from the next day that has not begun", day(2));
    let stored = app.get("/api/v1/orders/late").await.body;
    assert_eq!((stored["counts_from"].clone(), stored["remaining"].clone()), (json!(day(1)), json!("7500.00")));
    assert_eq!(app.settle(&day(1)).await, [day(1)]);
    let settlement = app.get(&format!("/api/v1/settlements/{}", day(1))).await.body;
    assert_eq!(settlement["totals"]["static"], "72.00", "both orders release on {}", day(1));
    assert_eq!(app.get("/api/v1/orders/late").await.body["remaining"], "7464.00");
    app.assert_verified().await;
}

#[tokio::test]
async fn the_api_takes_today_and_today_minus_n_where_the_command_line_does() {
    let app = spawn_app().await;
    app.member("13800000001", None).await;
    app.order("A-1", "13800000001", "3000.00", &at(10, "10:00")).await;
    assert_eq!(app.settle("today-3").await, [day(3)]);
    let read = app.get("/api/v1/settlements/today-3").await;
    assert_eq!((read.status, read.body["date"].as_str()), (200, Some(day(3).as_str())), "{}", read.body);
    let statements = app.get("/api/v1/members/13800000001/statements?from=today-9&to=today").await;
    assert_eq!(statements.status, 200, "{}", statements.body);
    assert_eq!(statements.body["items"].as_array().map(Vec::len), Some(1), "{}", statements.body);
    for bad in ["today-", "today+1", "yesterday", "today-123456"] {
        let refused = app.get(&format!("/api/v1/settlements/{bad}")).await;
        assert_eq!((refused.status, refused.code()), (400, "invalid_date"), "{bad}");
    }
}

#[tokio::test]
async fn the_preview_shows_what_the_settlement_then_pays_and_writes_nothing() {
    let app = spawn_app().await;
    let phones: Vec<String> = (1..=30).map(|i| format!("138{i:08}")).collect();
    app.member(&phones[0], None).await;
    for (i, phone) in phones.iter().enumerate().skip(1) {
        app.member(phone, Some(&phones[(i - 1) / 2])).await;
        app.order(&format!("O-{i}"), phone, &format!("{}.00", 3000 + 1000 * i), &at(4, "10:00")).await;
    }
    app.settle(&day(3)).await;

    let preview = app.post(&format!("/api/v1/settlements/{}/preview?limit=7", day(2)), json!({})).await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    let mut previewed = preview.body["items"].as_array().unwrap().clone();
    let mut cursor = preview.body["next_cursor"].clone();
    while let Some(next) = cursor.as_str() {
        let page = app.post(&format!("/api/v1/settlements/{}/preview?limit=7&cursor={next}", day(2)), json!({})).await.body;
        previewed.extend(page["items"].as_array().unwrap().iter().cloned());
        cursor = page["next_cursor"].clone();
    }
    assert_eq!(previewed.len(), 30, "every member with a movement");
    assert_eq!(app.get(&format!("/api/v1/settlements/{}", day(2))).await.status, 404, "the preview wrote nothing");

    app.settle(&day(2)).await;
    let mut paid = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = app.get(&format!("/api/v1/settlements/{}/payouts?limit=7{cursor}", day(2))).await.body;
        paid.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => break,
        }
    }
    assert_eq!(paid, previewed);
    let already = app.post(&format!("/api/v1/settlements/{}/preview", day(2)), json!({})).await;
    assert_eq!((already.status, already.code()), (409, "day_already_settled"));
    let later = app.post(&format!("/api/v1/settlements/{}/preview", day(0)), json!({})).await;
    assert_eq!((later.status, later.code()), (422, "day_not_next"));
    app.assert_verified().await;
}

#[tokio::test]
async fn a_refund_after_a_settled_day_takes_what_remains_from_the_next_day_on() {
    let app = spawn_app().await;
    app.member("13800000001", None).await;
    app.member("13800000002", Some("13800000001")).await;
    app.order("A-1", "13800000001", "3000.00", &at(5, "10:00")).await;
    app.order("B-1", "13800000002", "9000.00", &at(5, "10:00")).await;
    app.settle(&day(3)).await;
    app.settle(&day(2)).await;

    let refunded = app.post("/api/v1/orders/B-1/refund", json!({})).await;
    assert_eq!(refunded.status, 200, "{}", refunded.body);
    assert_eq!(refunded.body["released"], "216.00", "two days of 108 stay released");
    assert_eq!(refunded.body["refunded"], "26784.00", "what remained left the pool");
    assert_eq!(app.summary("13800000002").await["pool"], "0.00");
    app.settle(&day(1)).await;
    let a = app.statement("13800000001", &day(1)).await;
    assert_eq!(figures(&a), ["36.00", "0.00", "0.00", "0.00", "0.00", "0.00"], "B no longer releases, so A has no share");
    assert_eq!(
        app.get(&format!("/api/v1/members/13800000002/statements?from={}&to={}", day(3), day(1))).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    app.assert_verified().await;
}

#[tokio::test]
async fn a_new_parameter_version_releases_at_its_rate_from_its_day_and_the_run_records_it() {
    let app = spawn_app().await;
    app.member("13800000001", None).await;
    app.order("A-1", "13800000001", "3000.00", &at(5, "10:00")).await;
    app.settle(&day(4)).await;
    let mut document = crate::params::document_of(&app.get("/api/v1/params").await.body["current"]);
    document["effective_from"] = json!(day(2));
    document["release_rate"] = json!("0.02");
    assert_eq!(app.put("/api/v1/params", document).await.status, 201);
    app.settle(&day(1)).await;

    let statements = app.get(&format!("/api/v1/members/13800000001/statements?from={}&to={}", day(4), day(1))).await.body;
    let releases: Vec<&str> = statements["items"].as_array().unwrap().iter().map(|s| s["static"].as_str().unwrap()).collect();
    assert_eq!(releases, ["60.00", "60.00", "36.00", "36.00"], "the latest first: 2% from its day on");
    // Paged like every list: two pages of two, the days in order, each once.
    let first = app.get(&format!("/api/v1/members/13800000001/statements?from={}&to={}&limit=2", day(4), day(1))).await.body;
    let cursor = first["next_cursor"].as_str().expect("a second page");
    let second =
        app.get(&format!("/api/v1/members/13800000001/statements?from={}&to={}&limit=2&cursor={cursor}", day(4), day(1))).await.body;
    let days = |page: &Value| page["items"].as_array().unwrap().iter().map(|s| s["date"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    assert_eq!([days(&first), days(&second)].concat(), [day(1), day(2), day(3), day(4)]);
    assert_eq!(second["next_cursor"], Value::Null);
    assert_eq!(app.get(&format!("/api/v1/settlements/{}", day(2))).await.body["params_version"], 2);
    assert_eq!(app.get(&format!("/api/v1/settlements/{}", day(3))).await.body["params_version"], 1);
    assert_eq!(app.get("/api/v1/orders/A-1").await.body["remaining"], "7308.00", "7500 − 2 × 36 − 2 × 60");
    app.assert_verified().await;
}

#[tokio::test]
async fn an_adjustment_moves_available_points_with_its_reason_in_the_audit_log() {
    let app = spawn_app().await;
    app.member("13800000001", None).await;
    let added = app.post("/api/v1/members/13800000001/adjustments", json!({"amount": "+100.00", "reason": "活动奖励"})).await;
    assert_eq!(added.status, 201, "{}", added.body);
    assert_eq!(added.body["available"], "100.00");
    let too_much = app.post("/api/v1/members/13800000001/adjustments", json!({"amount": "-100.01", "reason": "纠错"})).await;
    assert_eq!((too_much.status, too_much.code()), (422, "insufficient_points"));
    let no_reason = app.post("/api/v1/members/13800000001/adjustments", json!({"amount": "-1.00", "reason": " "})).await;
    assert_eq!((no_reason.status, no_reason.code()), (400, "invalid_reason"));
    let nobody = app.post("/api/v1/members/13800000009/adjustments", json!({"amount": "1.00", "reason": "x"})).await;
    assert_eq!((nobody.status, nobody.code()), (404, "member_not_found"));
    assert_eq!(app.summary("13800000001").await["available"], "100.00", "the refused ones changed nothing");

    let removed = app.post("/api/v1/members/13800000001/adjustments", json!({"amount": "-40.00", "reason": "纠错"})).await;
    assert_eq!(removed.body["available"], "60.00");
    // Besides the key's creation and the member's registration, which are audited too.
    let mut log = greenpoints::graph::audit::list(&app.graph, None, 10).await.unwrap();
    log.retain(|e| e.action == "member.adjust");
    let entries: Vec<(&str, &str, Option<String>, Option<String>)> = log
        .iter()
        .map(|e| {
            let detail = greenpoints::domain::audit::Detail::parse(&e.detail).expect("a detail with fields");
            (e.action.as_str(), e.target.as_str(), detail.amount, detail.reason)
        })
        .collect();
    let adjusted = |amount: &str, reason: &str| ("member.adjust", "13800000001", Some(amount.to_string()), Some(reason.to_string()));
    assert_eq!(entries, [adjusted("-40.00", "纠错"), adjusted("+100.00", "活动奖励")]);
    assert!(log.iter().all(|e| e.actor.starts_with("api_key:")));
    app.assert_verified().await;
}

#[tokio::test]
async fn a_second_settlement_while_one_runs_is_refused_with_409() {
    let app = spawn_app().await;
    let today_start = chrono::Utc::now().timestamp_millis() - 86_400_000;
    let network = greenpoints::domain::network::Network::generate(20_000, 3, 3, today_start);
    greenpoints::graph::seed::write_members(&app.graph, &network, |_| {}).await.unwrap();
    greenpoints::graph::seed::write_orders(&app.graph, &network, chrono_tz::Asia::Shanghai, |_| {}).await.unwrap();
    let body = json!({"date": day(0)});
    let (first, second) = tokio::join!(app.post("/api/v1/settlements", body.clone()), async {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        app.post("/api/v1/settlements", body.clone()).await
    });
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!((second.status, second.code()), (409, "settlement_running"));
    app.assert_verified().await;
}

#[tokio::test]
async fn once_today_is_settled_tomorrow_is_previewed_as_of_now_with_the_orders_so_far_and_any_later_day_is_refused() {
    let app = spawn_app().await;
    app.member("13800000001", None).await;
    app.order("A-1", "13800000001", "3000.00", &at(2, "10:00")).await;
    app.settle(&day(0)).await;
    let before = app.post(&format!("/api/v1/settlements/{}/preview", day(-1)), json!({})).await;
    assert_eq!(before.status, 200, "{}", before.body);
    assert_eq!(before.body["items"][0]["static"], "36.00", "the order so far releases 1.2% tomorrow");

    let now = chrono::Utc::now().to_rfc3339();
    let today = app.post("/api/v1/orders", json!({"order_id": "A-2", "phone": "13800000001", "amount": "3000.00", "paid_at": now})).await;
    assert_eq!((today.status, today.body["counts_from"].as_str()), (201, Some(day(-1).as_str())), "{}", today.body);
    let after = app.post(&format!("/api/v1/settlements/{}/preview", day(-1)), json!({})).await;
    assert_eq!(after.body["items"][0]["static"], "72.00", "an order of today counts in tomorrow's preview at once");
    assert_eq!(app.get(&format!("/api/v1/settlements/{}", day(-1))).await.status, 404, "the preview wrote nothing");
    let later = app.post(&format!("/api/v1/settlements/{}/preview", day(-2)), json!({})).await;
    assert_eq!((later.status, later.code()), (422, "day_not_begun"));
    let run = app.post("/api/v1/settlements", json!({"date": day(-1)})).await;
    assert_eq!((run.status, run.code()), (422, "day_not_begun"), "tomorrow is previewed, never settled, before it begins");
}
