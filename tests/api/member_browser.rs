//! The member portal in a real browser held like a phone (390×844): a member joins through an
//! invitation link, reads the income a settlement brought, opens a statement's sources, asks for a
//! withdrawal and resets a forgotten password with the code from the development outbox.
//! Screenshots land in `target/screenshots/member-*-phone.png`.
use std::time::{Duration, Instant};

use greenpoints::graph::sms;
use serde_json::json;

use crate::browser::harness::{Browser, Width};
use crate::helpers::{TestApp, at, day};

const SPONSOR: &str = "13800000001";
const MEMBER: &str = "13900000002";
const REFERRAL: &str = "13900000003";
const PASSWORD: &str = "first password 1";
const NEW_PASSWORD: &str = "second password 2";

async fn member_login(browser: &Browser, phone: &str, password: &str) {
    browser.open("/login").await;
    browser.fill("#phone", phone).await;
    browser.fill("#password", password).await;
    browser.click_and_wait("button[type=submit]").await;
}

async fn log_out(browser: &Browser) {
    browser.click_and_wait(r#"form[action="/logout"] button"#).await;
    browser.wait_for_path("/login").await;
}

/// The text of an element, trimmed.
async fn text_of(browser: &Browser, css: &str) -> String {
    browser.find(css).await.text().await.unwrap().trim().to_string()
}

/// The code of the newest message for `purpose` the development sender kept for `phone` (it is
/// sent in the background, so it may take a moment to arrive).
async fn code_from_outbox(app: &TestApp, phone: &str, purpose: &str) -> String {
    let started = Instant::now();
    loop {
        let messages = sms::outbox(&app.graph, None, 10).await.unwrap();
        if let Some(message) = messages.iter().find(|m| m.phone == phone && m.purpose == purpose) {
            let code = message.text.split(|c: char| !c.is_ascii_digit()).find(|run| run.len() == 6);
            return code.unwrap_or_else(|| panic!("the message carries a six-digit code: {}", message.text)).to_string();
        }
        assert!(started.elapsed() < Duration::from_secs(10), "no {purpose} message for {phone} in the outbox: {messages:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_member_joins_by_invitation_reads_income_and_sources_withdraws_and_resets_the_password_on_a_phone() {
    let app = crate::helpers::spawn_app().await;
    app.member(SPONSOR, None).await;
    let browser = Browser::start("member", &app.address, Width::Phone).await;
    let mut pages: Vec<(&str, String)> = Vec::new();

    // Registration through the sponsor's invitation link, which carries the sponsor's invitation
    // code and names the sponsor (masked); the phone is proven with a code sent to it.
    let invitation = app.summary(SPONSOR).await["invitation_code"].as_str().expect("an invitation code").to_string();
    browser.open(&format!("/register?code={invitation}")).await;
    assert_eq!(text_of(&browser, "#sponsor").await, "138****0001");
    browser.fill("#phone", MEMBER).await;
    browser.fill("#name", "小王").await;
    browser.click_and_wait("#send-code").await;
    browser.find("#notice").await;
    let code = code_from_outbox(&app, MEMBER, "register").await;
    browser.fill("#code", &code).await;
    browser.fill("#password", PASSWORD).await;
    browser.fill("#password_again", PASSWORD).await;
    browser.screenshot("register").await;
    browser.assert_fits_the_width().await;
    browser.click_and_wait("#register-submit").await;
    browser.wait_for_path("/").await;
    assert_eq!(app.summary(MEMBER).await["sponsor_phone"], json!(SPONSOR), "registered under the inviting sponsor");
    let first_session = browser.cookie("gp_member").await.expect("registration logs the member in");

    // Out, and in again with the phone and password: a new session.
    log_out(&browser).await;
    member_login(&browser, MEMBER, PASSWORD).await;
    browser.wait_for_path("/").await;
    let second_session = browser.cookie("gp_member").await.expect("a session after login");
    assert_ne!(first_session, second_session, "every login opens a new session");

    // The mall reports the member's order and a referral's; a day is settled; the member's
    // available points get a top-up so that a withdrawal is possible.
    app.member(REFERRAL, Some(MEMBER)).await;
    app.order("m-1", MEMBER, "3000.00", &at(2, "10:00")).await;
    app.order("r-1", REFERRAL, "3000.00", &at(2, "11:00")).await;
    app.settle(&day(1)).await;
    let topped = app.post(&format!("/api/v1/members/{MEMBER}/adjustments"), json!({"amount": "100.00", "reason": "活动奖励"})).await;
    assert_eq!(topped.status, 201, "{}", topped.body);

    // The dashboard: SPEC §3's first figures: 1.2% of 3,000.00 released, half the referral's as share income.
    browser.open("/").await;
    let summary = app.summary(MEMBER).await;
    assert_eq!(text_of(&browser, "#available").await, "154.00", "36.00 static + 18.00 share + 100.00");
    assert_eq!(summary["available"], json!("154.00"));
    assert_eq!(text_of(&browser, "#pool").await, "7,446.00", "7,500.00 granted; 36.00 and 18.00 released from it");
    let latest = text_of(&browser, "#latest").await;
    assert!(latest.contains("36.00") && latest.contains("18.00"), "today's income by kind: {latest}");
    browser.screenshot("dashboard").await;
    pages.push(("dashboard", "/".into()));

    // The statements, and the settled day's sources: the referral's branch, phone masked.
    browser.click_and_wait(r#"nav a[href="/statements"]"#).await;
    browser.click_and_wait(&format!(r#"a.statement-link[href="/statements/{}"]"#, day(1))).await;
    assert_eq!(browser.path().await, format!("/statements/{}", day(1)));
    assert_eq!(text_of(&browser, r#"dd[data-kind="share_g1"]"#).await, "18.00");
    let branches = browser.all(".source .phone").await;
    assert_eq!(branches.len(), 1, "one branch paid share income");
    assert_eq!(branches[0].text().await.unwrap(), "139****0003");
    assert!(!browser.text().await.contains(REFERRAL), "no other member's full phone on the page");
    pages.push(("statements", "/statements".into()));
    pages.push(("statement", browser.path().await));

    // The team page lists the referral, masked.
    browser.click_and_wait(r#"nav a[href="/team"]"#).await;
    assert!(browser.text().await.contains("139****0003"));
    assert!(!browser.text().await.contains(REFERRAL));
    pages.push(("team", "/team".into()));

    // A bank card first (with the password), shown masked; then a withdrawal of 100.00 moves it
    // from available to frozen and is listed as requested.
    browser.click_and_wait(r#"nav a[href="/withdrawals"]"#).await;
    browser.fill(r#"#account-form input[name="real_name"]"#, "张三").await;
    browser.fill(r#"#account-form input[name="bank"]"#, "中国银行").await;
    browser.fill(r#"#account-form input[name="number"]"#, "6222 0212 3456 7890 128").await;
    browser.fill(r#"#account-form input[name="password"]"#, PASSWORD).await;
    browser.click_and_wait("#account-form button[type=submit]").await;
    browser.find("#account-done").await;
    assert_eq!(text_of(&browser, "#account").await, "张* · 中国银行 ···· 0128");
    browser.fill(r#"#withdraw-form input[name="amount"]"#, "100.00").await;
    browser.click_and_wait("#withdraw-form button[type=submit]").await;
    browser.find("#withdraw-done").await;
    assert_eq!(browser.all(r#"li.withdrawal[data-status="requested"]"#).await.len(), 1);
    let summary = app.summary(MEMBER).await;
    assert_eq!((summary["available"].clone(), summary["frozen"].clone()), (json!("54.00"), json!("100.00")));
    pages.push(("withdrawals", "/withdrawals".into()));

    for (name, path) in &pages {
        browser.open(path).await;
        browser.find("main h1").await;
        browser.screenshot(name).await;
        browser.assert_fits_the_width().await;
    }

    // A forgotten password: a code through the development outbox, a new password, the old one refused.
    // One code a minute per phone, whatever the purpose: the registration's code is made a minute old.
    let a_minute_ago = "MATCH (s:SmsSend {phone: $phone}) SET s.at_ms = s.at_ms - 60000";
    app.graph.run(neo4rs::query(a_minute_ago).param("phone", MEMBER)).await.unwrap();
    log_out(&browser).await;
    browser.click_and_wait("#forgot").await;
    browser.fill("#reset-request #phone", MEMBER).await;
    browser.click_and_wait("#reset-request button[type=submit]").await;
    let code = code_from_outbox(&app, MEMBER, "reset").await;
    browser.fill("#reset-confirm #code", &code).await;
    browser.fill("#reset-confirm #password", NEW_PASSWORD).await;
    browser.fill("#reset-confirm #password_again", NEW_PASSWORD).await;
    browser.screenshot("reset").await;
    browser.assert_fits_the_width().await;
    browser.click_and_wait("#reset-confirm button[type=submit]").await;
    browser.wait_for_path("/login").await;

    member_login(&browser, MEMBER, PASSWORD).await;
    assert_eq!(browser.path().await, "/login", "the old password no longer opens the account");
    assert!(browser.cookie("gp_member").await.is_none());
    browser.screenshot("login-refused").await;
    member_login(&browser, MEMBER, NEW_PASSWORD).await;
    browser.wait_for_path("/").await;
    assert_eq!(text_of(&browser, "#frozen").await, "100.00");
    browser.close().await;
}
