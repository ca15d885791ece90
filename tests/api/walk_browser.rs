//! Every page of the console and the portal in headless Chromium, in both languages, at a
//! desktop's and a phone's width: each fits the screen (wide tables scroll in their own box),
//! shows no text of the other language and no raw code. Screenshots of each land in
//! `target/screenshots/walk-*`.
use chrono::Utc;
use serde_json::json;

use crate::browser::harness::{Browser, Width};
use crate::helpers::{TestApp, at, day, spawn_app};
use crate::pages_client::{chinese_in, codes_in, raw_codes};

const ADMIN: &str = "walker";
const PASSWORD: &str = "correct horse battery";
const A: &str = "13800000001";
const B: &str = "13800000002";

/// A scheme with something on every page: two settled days, a refund, an adjustment, a payout
/// account, withdrawals requested and approved, a message in the outbox, a second parameter
/// version, an API key. Names as members type them are Latin here, so that any Chinese on an
/// English page is the site's own.
async fn scheme() -> (TestApp, String) {
    let app = spawn_app().await;
    for (phone, sponsor) in [(A, None), (B, Some(A))] {
        let body = json!({"phone": phone, "sponsor_phone": sponsor, "password": PASSWORD, "name": "Li Lei"});
        assert_eq!(app.post("/api/v1/members", body).await.status, 201);
    }
    // Large enough for the tiles' longest amounts (a pool of 125,000,000.00).
    app.order("o-1", A, "50000000.00", &at(3, "10:00")).await;
    app.order("o-2", B, "30000.00", &at(3, "11:00")).await;
    app.order("o-3", B, "3000.00", &at(3, "12:00")).await;
    app.settle(&day(2)).await;
    app.settle(&day(1)).await;
    assert_eq!(app.post("/api/v1/orders/o-3/refund", json!({})).await.status, 200);
    let adjusted = app.post(&format!("/api/v1/members/{A}/adjustments"), json!({"amount": "500.00", "reason": "goodwill"})).await;
    assert_eq!(adjusted.status, 201, "{}", adjusted.body);
    let card = json!({"kind": "bank_card", "real_name": "Li Lei", "bank": "Bank of China", "number": crate::helpers::CARD});
    assert_eq!(app.put(&format!("/api/v1/members/{A}/payout-account"), card).await.status, 200);
    let mut ids = Vec::new();
    for (key, amount) in [("wd-1", "120.00"), ("wd-2", "130.00")] {
        let requested = app.post("/api/v1/withdrawals", json!({"phone": A, "amount": amount, "idempotency_key": key})).await;
        assert_eq!(requested.status, 201, "{}", requested.body);
        ids.push(requested.body["id"].as_str().unwrap().to_string());
    }
    assert_eq!(app.post(&format!("/api/v1/withdrawals/{}/approve", ids[0]), json!({})).await.status, 200);
    greenpoints::graph::sms::record(&app.graph, A, "reset", "Code 123456", Utc::now().timestamp_millis()).await.unwrap();
    let mut document = crate::params::document_of(&app.get("/api/v1/params").await.body["current"]);
    document["effective_from"] = json!(day(-1));
    document["peer_rate"] = json!("0.04");
    assert_eq!(app.put("/api/v1/params", document).await.status, 201);
    app.admin(ADMIN, PASSWORD).await;
    (app, ids.remove(0))
}

/// What the screen width does not show whole: a tile's text wider than its tile, an amount
/// broken over two lines, a chart whose labels are drawn smaller than 8 pixels.
const CRAMPED: &str = "const found = []; \
    document.querySelectorAll('.tile').forEach(t => { if (t.scrollWidth > t.clientWidth + 1) found.push('a tile overflows: ' + t.textContent.trim()); }); \
    document.querySelectorAll('.tile .value').forEach(v => { \
        const line = parseFloat(getComputedStyle(v).fontSize) * 1.6; \
        if (v.getBoundingClientRect().height > line) found.push('an amount breaks over two lines: ' + v.textContent.trim()); }); \
    document.querySelectorAll('.chart svg').forEach(svg => { \
        const label = svg.querySelector('text.axis'); if (!label) return; \
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width; \
        const px = parseFloat(getComputedStyle(label).fontSize) * scale; \
        if (px < 8) found.push('chart labels drawn at ' + px.toFixed(1) + ' px'); }); \
    return found;";

/// Opens each page at each width, in the language set, and writes down what is wrong with it.
async fn walk(browser: &mut Browser, lang: &str, side: &str, pages: &[String], found: &mut Vec<String>) {
    let codes = raw_codes();
    let coded: Vec<&str> = codes.iter().copied().filter(|code| code.contains(['.', ':', '_'])).collect();
    for width in [Width::Desktop, Width::Phone] {
        browser.resize(width).await;
        for (n, page) in pages.iter().enumerate() {
            browser.open(page).await;
            browser.find("main").await;
            let overflow = browser.client.execute("return document.documentElement.scrollWidth - window.innerWidth", vec![]).await.unwrap();
            if overflow.as_i64().unwrap_or(0) > 0 {
                found.push(format!("{lang} {} {page}: {overflow} pixels wider than the screen", width.name()));
            }
            let cramped = browser.client.execute(CRAMPED, vec![]).await.unwrap();
            if cramped.as_array().is_some_and(|c| !c.is_empty()) {
                found.push(format!("{lang} {} {page}: {cramped}", width.name()));
            }
            // What the page says, less what it says in another language on purpose (the language
            // switch's link, marked with its `lang`).
            let said = "const body = document.body.cloneNode(true); \
                body.querySelectorAll('[lang], script, style').forEach(e => e.remove()); return body.textContent";
            let text = browser.client.execute(said, vec![]).await.unwrap().as_str().unwrap_or_default().to_string();
            let raw = codes_in(&text, if lang == "zh" { &codes } else { &coded });
            if !raw.is_empty() {
                found.push(format!("{lang} {} {page}: raw codes {raw:?}", width.name()));
            }
            if lang == "en" && !chinese_in(&text).is_empty() {
                found.push(format!("{lang} {} {page}: Chinese {:?}", width.name(), chinese_in(&text)));
            }
            browser.screenshot(&format!("{side}-{n:02}-{lang}")).await;
        }
    }
}

#[tokio::test]
async fn every_page_in_both_languages_fits_a_desktop_and_a_phone_and_speaks_only_its_reader_s_language() {
    let (app, approved) = scheme().await;
    let invitation = app.get(&format!("/api/v1/members/{A}")).await.body["invitation_code"].as_str().unwrap().to_string();
    let console: Vec<String> = vec![
        "/admin".into(),
        "/admin/members".into(),
        "/admin/members?tier=none&level=".into(),
        "/admin/members?q=138".into(),
        format!("/admin/members/{A}"),
        format!("/admin/members/{A}/statements/{}", day(1)),
        format!("/admin/tree?phone={A}&open={A}"),
        "/admin/settlements".into(),
        "/admin/settlements/preview".into(),
        format!("/admin/settlements/{}", day(1)),
        "/admin/params".into(),
        "/admin/params/diff?a=1&b=2".into(),
        "/admin/withdrawals?status=requested".into(),
        "/admin/withdrawals?status=approved".into(),
        format!("/admin/withdrawals/{approved}/reject?status=approved"),
        "/admin/api-keys".into(),
        "/admin/audit".into(),
        "/admin/outbox".into(),
        "/admin/nowhere".into(),
    ];
    let portal: Vec<String> = vec![
        "/".into(),
        "/team".into(),
        "/statements".into(),
        format!("/statements/{}", day(1)),
        "/points".into(),
        "/orders".into(),
        "/withdrawals".into(),
        "/password".into(),
        "/login".into(),
        "/login/code".into(),
        "/reset".into(),
        "/reset/confirm".into(),
        format!("/register?code={invitation}"),
    ];
    let mut browser = Browser::start("walk", &app.address, Width::Desktop).await;
    let mut found = Vec::new();
    browser.open("/login").await;
    browser.fill("#phone", A).await;
    browser.fill("#password", PASSWORD).await;
    browser.click_and_wait("button[type=submit]").await;
    browser.wait_for_path("/").await;
    browser.login(ADMIN, PASSWORD).await;
    browser.wait_for_path("/admin").await;
    for lang in ["zh", "en"] {
        browser.open(&format!("/lang/{lang}?back=/admin")).await;
        walk(&mut browser, lang, "console", &console, &mut found).await;
        walk(&mut browser, lang, "portal", &portal, &mut found).await;
    }
    // The send button counts down the minute to the next code.
    browser.open("/login/code").await;
    browser.fill("#phone", A).await;
    browser.click_and_wait("#send-code").await;
    browser.find("#notice").await;
    let button =
        browser.client.execute("const b = document.querySelector('#send-code'); return [b.disabled, b.textContent]", vec![]).await.unwrap();
    let label = button[1].as_str().unwrap_or_default();
    assert!(button[0] == json!(true) && label.starts_with("Send again in") && label.ends_with(" s"), "{button}");
    browser.close().await;
    assert!(found.is_empty(), "{}", found.join("\n"));
}
