//! The admin console in a real browser: Debian's headless Chromium driven through chromedriver
//! (see `harness`), against the app on a loopback port with its own fresh database. Screenshots of
//! the main pages at desktop and phone widths land in `target/screenshots/`.
pub mod harness;

use harness::{Browser, Width};
use serde_json::json;

use crate::helpers::{TestApp, at, day, spawn_app};

const ADMIN: &str = "admin";
const PASSWORD: &str = "correct horse battery";

async fn app_with_admin() -> TestApp {
    let app = spawn_app().await;
    app.admin(ADMIN, PASSWORD).await;
    app
}

#[tokio::test]
async fn an_admin_logs_in_through_the_login_page_and_lands_on_the_dashboard_with_its_tiles() {
    let app = app_with_admin().await;
    let mut browser = Browser::start("login", &app.address, Width::Desktop).await;

    browser.open("/admin").await;
    browser.wait_for_path("/admin/login").await;
    browser.find("#username").await;
    browser.screenshot("login").await;

    browser.login(ADMIN, PASSWORD).await;
    browser.wait_for_path("/admin").await;
    assert!(browser.all(".error").await.is_empty(), "no error after a good login");
    let tiles = browser.all(".tile").await;
    assert!(tiles.len() >= 4, "the dashboard shows its tiles, found {}", tiles.len());
    assert!(browser.cookie("gp_admin").await.is_some(), "the session cookie is set");
    browser.find(r#"form[action="/admin/logout"] button"#).await;
    browser.screenshot("dashboard").await;
    browser.resize(Width::Phone).await;
    browser.screenshot("dashboard").await;

    browser.click_and_wait(r#"form[action="/admin/logout"] button"#).await;
    browser.wait_for_path("/admin/login").await;
    browser.open("/admin").await;
    browser.wait_for_path("/admin/login").await;
    browser.close().await;
}

#[tokio::test]
async fn a_wrong_password_shows_an_error_and_stays_on_the_login_page() {
    let app = app_with_admin().await;
    let mut browser = Browser::start("login", &app.address, Width::Phone).await;

    browser.login(ADMIN, "not the password").await;
    let error = browser.find(".error").await;
    assert!(!error.text().await.unwrap().trim().is_empty(), "the error says something");
    assert_eq!(browser.path().await, "/admin/login");
    assert!(browser.cookie("gp_admin").await.is_none(), "no session was opened");
    assert_eq!(browser.find("#username").await.prop("value").await.unwrap().as_deref(), Some(ADMIN), "the username is kept");
    browser.screenshot("wrong-password").await;

    browser.resize(Width::Desktop).await;
    browser.open("/admin").await;
    browser.wait_for_path("/admin/login").await;
    browser.close().await;
}

/// The chain 13800000001 → …02 → …03 → …04 → …05, with siblings beside it.
const CHAIN: [&str; 5] = ["13800000001", "13800000002", "13800000003", "13800000004", "13800000005"];
const SIBLINGS: [(&str, &str); 4] =
    [("13900000011", CHAIN[0]), ("13900000012", CHAIN[0]), ("13900000021", CHAIN[1]), ("13900000031", CHAIN[2])];

/// The network, built over the JSON API, with orders paid one and two days ago.
async fn network(app: &TestApp) {
    app.member(CHAIN[0], None).await;
    for pair in CHAIN.windows(2) {
        app.member(pair[1], Some(pair[0])).await;
    }
    for (phone, sponsor) in SIBLINGS {
        app.member(phone, Some(sponsor)).await;
    }
    let everyone = CHAIN.iter().copied().chain(SIBLINGS.iter().map(|(p, _)| *p));
    for (i, phone) in everyone.enumerate() {
        app.order(&format!("B-{i}-a"), phone, &format!("{}.00", 3000 + 1000 * i), &at(2, "10:00")).await;
        if i % 2 == 0 {
            app.order(&format!("B-{i}-b"), phone, "1200.00", &at(1, "11:30")).await;
        }
    }
}

/// The phones of the tree's nodes at each depth.
async fn tree_levels(browser: &Browser) -> Vec<Vec<String>> {
    let mut levels: Vec<Vec<String>> = Vec::new();
    for node in browser.all("li[data-phone]").await {
        let phone = node.attr("data-phone").await.unwrap().unwrap();
        let depth: usize = node.attr("data-depth").await.unwrap().map_or(0, |d| d.parse().unwrap());
        if levels.len() <= depth {
            levels.resize(depth + 1, Vec::new());
        }
        levels[depth].push(phone);
    }
    for level in &mut levels {
        level.sort();
    }
    levels
}

fn sorted(phones: &[&str]) -> Vec<String> {
    let mut phones: Vec<String> = phones.iter().map(|p| p.to_string()).collect();
    phones.sort();
    phones
}

/// Every payout of a settled day from the API, in phone order.
async fn api_payouts(app: &TestApp, day: &str) -> Vec<serde_json::Value> {
    let mut all = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = app.get(&format!("/api/v1/settlements/{day}/payouts?limit=100{cursor}")).await;
        assert_eq!(page.status, 200, "{}", page.body);
        all.extend(page.body["items"].as_array().unwrap().iter().cloned());
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => return all,
        }
    }
}

/// The cells of the rows of a table.
async fn rows(browser: &Browser, css: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for row in browser.all(&format!("{css} tbody tr")).await {
        let mut cells = Vec::new();
        for cell in row.find_all(fantoccini::Locator::Css("td")).await.unwrap() {
            cells.push(cell.text().await.unwrap().trim().to_string());
        }
        rows.push(cells);
    }
    rows
}

#[tokio::test]
async fn an_operator_searches_browses_the_tree_settles_exports_edits_parameters_approves_a_withdrawal_and_sees_it_all_audited() {
    let app = app_with_admin().await;
    network(&app).await;
    let (settled_day, adjusted, withdrawer) = (day(1), CHAIN[2], CHAIN[4]);
    let added = app.post(&format!("/api/v1/members/{withdrawer}/adjustments"), json!({"amount": "500.00", "reason": "test"})).await;
    assert_eq!(added.status, 201, "{}", added.body);
    let requested = app.post("/api/v1/withdrawals", json!({"phone": withdrawer, "amount": "200.00", "idempotency_key": "browser-1"})).await;
    assert_eq!(requested.status, 201, "{}", requested.body);
    let withdrawal = requested.body["id"].as_str().unwrap().to_string();

    let mut browser = Browser::start("operator", &app.address, Width::Desktop).await;
    browser.login(ADMIN, PASSWORD).await;
    browser.wait_for_path("/admin").await;
    let mut pages: Vec<(&str, String)> = vec![("dashboard", "/admin".into())];

    // Search by the first ten digits: the chain's five members and no one else.
    browser.click_and_wait(r#"nav a[href="/admin/members"]"#).await;
    browser.fill(r#"#member-search input[name="q"]"#, "1380000000").await;
    browser.click_and_wait("#member-search button[type=submit]").await;
    assert_eq!(browser.path().await, "/admin/members?q=1380000000");
    let mut found = Vec::new();
    for link in browser.all("a.member-link").await {
        found.push(link.text().await.unwrap());
    }
    found.sort();
    assert_eq!(found, sorted(&CHAIN), "the search finds exactly the numbers starting with its digits");
    pages.push(("members", browser.path().await));

    // The member's page; an adjustment through its form.
    browser.click_and_wait(&format!(r#"a.member-link[href="/admin/members/{adjusted}"]"#)).await;
    assert_eq!(browser.path().await, format!("/admin/members/{adjusted}"));
    let before = app.summary(adjusted).await["available"].as_str().unwrap().to_string();
    assert_eq!(browser.find("#available").await.text().await.unwrap(), before);
    browser.fill(r#"#adjust-form input[name="amount"]"#, "12.50").await;
    browser.fill(r#"#adjust-form input[name="reason"]"#, "goodwill").await;
    browser.click_and_wait("#adjust-form button[type=submit]").await;
    browser.find(".notice").await;
    let after = app.summary(adjusted).await["available"].as_str().unwrap().to_string();
    assert_eq!(after.parse::<f64>().unwrap() - before.parse::<f64>().unwrap(), 12.5, "{before} → {after}");
    assert_eq!(browser.find("#available").await.text().await.unwrap(), after, "the page shows the new figure");
    pages.push(("member", format!("/admin/members/{adjusted}")));

    // The tree from the root, three levels down.
    browser.open(&format!("/admin/tree?phone={}", CHAIN[0])).await;
    assert_eq!(tree_levels(&browser).await, vec![sorted(&CHAIN[..1])], "only the start before any expansion");
    let expected =
        [sorted(&[CHAIN[1], SIBLINGS[0].0, SIBLINGS[1].0]), sorted(&[CHAIN[2], SIBLINGS[2].0]), sorted(&[CHAIN[3], SIBLINGS[3].0])];
    for (level, opened) in CHAIN[..3].iter().enumerate() {
        browser.click_and_wait(&format!(r#"li[data-phone="{opened}"] a.expand"#)).await;
        let levels = tree_levels(&browser).await;
        assert_eq!(levels.len(), level + 2, "expanding {opened} shows one more level: {levels:?}");
        assert_eq!(levels[level + 1], expected[level], "the direct referrals of {opened}");
        for (shallower, shown) in expected[..level].iter().enumerate() {
            assert_eq!(&levels[shallower + 1], shown, "the levels opened before stay open");
        }
    }
    assert_eq!(browser.all(&format!(r#"li[data-phone="{}"] a.expand"#, CHAIN[3])).await.len(), 1, "…04 has a referral to expand");
    assert!(browser.all(&format!(r#"li[data-phone="{}"] a.expand"#, SIBLINGS[3].0)).await.is_empty(), "a leaf has nothing to expand");
    pages.push(("tree", browser.path().await));

    // Settle yesterday from the settlements page.
    browser.click_and_wait(r#"nav a[href="/admin/settlements"]"#).await;
    let date = browser.find(r#"#settle-form input[name="date"]"#).await;
    browser
        .client
        .execute("arguments[0].value = arguments[1]", vec![serde_json::to_value(&date).unwrap(), json!(settled_day)])
        .await
        .unwrap();
    browser.click_and_wait("#settle-form button[type=submit]").await;
    assert!(browser.find("#settled-days").await.text().await.unwrap().contains(&settled_day));
    assert_eq!(app.get(&format!("/api/v1/settlements/{settled_day}")).await.body["status"], "settled");
    pages.push(("settlements", "/admin/settlements".into()));

    // Its payout table and CSV.
    browser.click_and_wait(&format!(r#"#history a.day-link[href="/admin/settlements/{settled_day}"]"#)).await;
    let payouts = api_payouts(&app, &settled_day).await;
    assert!(payouts.len() >= CHAIN.len(), "the day paid the network: {}", payouts.len());
    let shown = rows(&browser, "#payouts").await;
    let phones: Vec<&str> = shown.iter().map(|r| r[0].as_str()).collect();
    let paid: Vec<&str> = payouts.iter().map(|p| p["phone"].as_str().unwrap()).collect();
    assert_eq!(phones, paid, "the table lists the day's payouts");
    pages.push(("settlement-day", format!("/admin/settlements/{settled_day}")));
    browser.find("a#csv").await.click().await.unwrap();
    let csv_path = browser.downloaded(".csv").await;
    assert_eq!(csv_path.file_name().unwrap().to_string_lossy(), format!("payouts-{settled_day}.csv"));
    let bytes = std::fs::read(&csv_path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with a byte order mark, for Excel");
    let text = std::str::from_utf8(&bytes[3..]).expect("UTF-8");
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    assert_eq!(reader.headers().unwrap().len(), 8);
    let records: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    let expected: Vec<Vec<String>> = payouts
        .iter()
        .map(|p| {
            ["phone", "static", "share_g1", "share_g2", "team", "peer", "forfeited", "total"]
                .iter()
                .map(|field| p[*field].as_str().unwrap_or_else(|| panic!("{field} in {p}")).to_string())
                .collect()
        })
        .collect();
    assert_eq!(records, expected, "the CSV holds the API's payouts, row for row");

    // A new parameter version from the form, as it comes filled in, with one change.
    browser.click_and_wait(r#"nav a[href="/admin/params"]"#).await;
    let current = browser.find("#current-version").await.text().await.unwrap();
    browser.fill(r#"#new-params input[name="withdrawal_min"]"#, "150.00").await;
    browser.click_and_wait("#new-params button[type=submit]").await;
    let created = browser.find("#params-created").await.text().await.unwrap();
    assert!(created.contains("v2"), "{created} (was {current})");
    browser.find("#params-history tr#version-2").await;
    let versions = app.get("/api/v1/params").await.body["versions"].clone();
    let newest = versions.as_array().unwrap().last().unwrap();
    assert_eq!((newest["version"].as_i64(), newest["withdrawal_min"].as_str()), (Some(2), Some("150.00")), "{newest}");
    pages.push(("params", "/admin/params".into()));

    // Approve the withdrawal from the queue.
    browser.click_and_wait(r#"nav a[href="/admin/withdrawals"]"#).await;
    browser.find(&format!("#withdrawal-{withdrawal}")).await;
    pages.push(("withdrawals", "/admin/withdrawals?status=approved".into()));
    browser.click_and_wait(&format!(r#"#withdrawal-{withdrawal} a[data-action="approve"]"#)).await;
    browser.click_and_wait("#decide button[type=submit]").await;
    browser.find("#withdrawal-done").await;
    assert!(browser.all(&format!("#withdrawal-{withdrawal}")).await.is_empty(), "no longer in the requested queue");
    let approved = app.get("/api/v1/withdrawals?status=approved").await.body;
    assert_eq!(approved["items"][0]["id"], json!(withdrawal), "{approved}");

    // Every one of those actions is in the audit log, by this admin.
    browser.click_and_wait(r#"nav a[href="/admin/audit"]"#).await;
    let audit = rows(&browser, "#audit").await;
    // As the page words them: the actor and the action in Chinese.
    let in_words = |action: &str| greenpoints::domain::audit::AuditAction::parse(action).expect("an action").zh();
    let by_admin = |action: &str, target: &str| audit.iter().any(|r| r[1] == "管理员 admin" && r[2] == in_words(action) && r[3] == target);
    for (action, target) in [
        ("admin.login", ADMIN),
        ("member.adjust", adjusted),
        ("settlement.run", settled_day.as_str()),
        ("params.create", "v2"),
        ("withdrawal.approve", withdrawal.as_str()),
    ] {
        assert!(by_admin(action, target), "{action} on {target} by admin:admin in the audit log: {audit:#?}");
    }
    pages.push(("audit", "/admin/audit".into()));

    // The main pages at both widths.
    for width in [Width::Desktop, Width::Phone] {
        browser.resize(width).await;
        for (name, path) in &pages {
            browser.open(path).await;
            browser.find("main h1").await;
            browser.screenshot(name).await;
            browser.assert_fits_the_width().await;
        }
    }
    browser.close().await;
}

#[tokio::test]
async fn the_dashboard_release_chart_keeps_a_readable_size_after_the_first_settled_day() {
    let app = app_with_admin().await;
    app.member(CHAIN[0], None).await;
    app.member(CHAIN[1], Some(CHAIN[0])).await;
    app.order("C-1", CHAIN[1], "3000.00", &at(2, "10:00")).await;
    app.settle(&day(1)).await;

    let mut browser = Browser::start("chart", &app.address, Width::Desktop).await;
    browser.login(ADMIN, PASSWORD).await;
    browser.wait_for_path("/admin").await;
    for width in [Width::Desktop, Width::Phone] {
        browser.resize(width).await;
        browser.open("/admin").await;
        let chart = browser.find(".chart svg").await;
        let (_, _, chart_width, chart_height) = chart.rectangle().await.unwrap();
        browser.screenshot("dashboard").await;
        let viewport = f64::from(width.size().1);
        assert!(
            chart_height <= viewport / 2.0,
            "one day's bar is drawn {chart_width:.0}×{chart_height:.0} at {}: the chart takes more than half the screen",
            width.name()
        );
    }
    browser.close().await;
}
