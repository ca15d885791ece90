//! Admin roles in a real browser (headless Chromium, see `browser::harness`): an operator, a
//! finance admin and an auditor each log in to the console, see only the sections, forms and
//! buttons their role may use, do what it allows, and a form forged in the page for anything else
//! answers 403 `role_forbidden` and changes nothing.
use greenpoints::domain::role::Role;
use serde_json::json;

use crate::browser::harness::{Browser, Width};
use crate::helpers::{TestApp, at, day, spawn_app};

const PASSWORD: &str = "correct horse battery";
const ROOT: &str = "13800000001";
const A: &str = "13800000002";

/// Two members with orders two days ago, points on A, a withdrawal of A's requested, an admin of
/// every role (named after it); the withdrawal's id.
async fn scheme() -> (TestApp, String) {
    let app = spawn_app().await;
    app.member(ROOT, None).await;
    app.member(A, Some(ROOT)).await;
    app.order("RB-1", A, "3000.00", &at(2, "10:00")).await;
    let added = app.post(&format!("/api/v1/members/{A}/adjustments"), json!({"amount": "500.00", "reason": "test"})).await;
    assert_eq!(added.status, 201, "{}", added.body);
    let requested = app.post("/api/v1/withdrawals", json!({"phone": A, "amount": "200.00", "idempotency_key": "rb-1"})).await;
    assert_eq!(requested.status, 201, "{}", requested.body);
    for role in Role::ALL {
        app.admin_as(role.as_str(), PASSWORD, Some(role)).await;
    }
    (app, requested.body["id"].as_str().unwrap().to_string())
}

/// The paths of the header's navigation links.
async fn sections(browser: &Browser) -> Vec<String> {
    let mut paths = Vec::new();
    for link in browser.all("header nav a").await {
        paths.push(link.attr("href").await.unwrap().unwrap());
    }
    paths
}

/// Builds and submits, in the page, a form the page does not offer (with the session's CSRF token,
/// as a script in the page could), then waits for the error page; returns its code.
async fn forge(browser: &Browser, action: &str, fields: serde_json::Value) -> String {
    let script = r#"
        const form = document.createElement('form');
        form.method = 'post';
        form.action = arguments[0];
        const token = document.querySelector('input[name=csrf]').value;
        for (const [name, value] of [['csrf', token], ...Object.entries(arguments[1])]) {
            const input = document.createElement('input');
            input.type = 'hidden';
            input.name = name;
            input.value = value;
            form.appendChild(input);
        }
        document.body.appendChild(form);
        form.submit();
    "#;
    browser.client.execute(script, vec![json!(action), fields]).await.unwrap();
    browser.find("p.error[data-code]").await.attr("data-code").await.unwrap().unwrap()
}

async fn withdrawal_status(app: &TestApp) -> String {
    app.get("/api/v1/withdrawals").await.body["items"][0]["status"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn an_auditor_reads_every_page_sees_no_button_that_changes_anything_and_a_forged_approval_answers_403() {
    let (app, withdrawal) = scheme().await;
    app.settle(&day(1)).await;
    let browser = Browser::start("auditor", &app.address, Width::Desktop).await;
    browser.login("auditor", PASSWORD).await;
    browser.wait_for_path("/admin").await;
    assert!(browser.find("header .who span").await.text().await.unwrap().starts_with("auditor · "), "the header names the role");
    let shown = sections(&browser).await;
    assert!(!shown.iter().any(|p| p == "/admin/api-keys" || p == "/admin/outbox"), "no API keys, no outbox: {shown:?}");
    assert!(shown.iter().any(|p| p == "/admin/withdrawals") && shown.iter().any(|p| p == "/admin/audit"), "{shown:?}");

    browser.click_and_wait(r#"header nav a[href="/admin/withdrawals"]"#).await;
    browser.find(&format!("#withdrawal-{withdrawal}")).await;
    assert!(browser.all("#withdrawals a[data-action]").await.is_empty(), "the queue without approve, reject or paid buttons");
    browser.screenshot("withdrawals").await;

    browser.open(&format!("/admin/members/{A}")).await;
    browser.find("#available").await;
    assert!(browser.all("#adjust-form, #sponsor-form").await.is_empty(), "no adjustment or sponsor form");
    browser.open("/admin/settlements").await;
    browser.find("#history").await;
    assert!(browser.all("#settle-form, #preview-link").await.is_empty(), "no settle form");
    browser.open(&format!("/admin/settlements/{}", day(1))).await;
    browser.find("a#csv").await;
    browser.open("/admin/params").await;
    browser.find("#params-in-force").await;
    assert!(browser.all("#new-params").await.is_empty(), "the parameters read only");
    browser.screenshot("params").await;

    browser.open("/admin/withdrawals").await;
    let code = forge(&browser, &format!("/admin/withdrawals/{withdrawal}/approve"), json!({"status": "requested"})).await;
    assert_eq!(code, "role_forbidden");
    assert!(browser.text().await.contains("角色"), "the reason in the reader's language: {}", browser.text().await);
    browser.screenshot("forged-approval").await;
    assert_eq!(withdrawal_status(&app).await, "requested", "nothing changed");

    browser.open("/admin/api-keys").await;
    assert_eq!(browser.find("p.error[data-code]").await.attr("data-code").await.unwrap().as_deref(), Some("role_forbidden"));
    browser.close().await;
}

#[tokio::test]
async fn a_finance_admin_approves_a_withdrawal_and_settles_but_sees_no_adjustment_form() {
    let (app, withdrawal) = scheme().await;
    let browser = Browser::start("finance", &app.address, Width::Desktop).await;
    browser.login("finance", PASSWORD).await;
    browser.wait_for_path("/admin").await;
    assert!(!sections(&browser).await.iter().any(|p| p == "/admin/outbox" || p == "/admin/api-keys"));

    browser.click_and_wait(r#"header nav a[href="/admin/withdrawals"]"#).await;
    browser.click_and_wait(&format!(r#"#withdrawal-{withdrawal} a[data-action="approve"]"#)).await;
    browser.find("#what-it-does").await;
    assert_eq!(withdrawal_status(&app).await, "requested", "the confirmation page decides nothing");
    browser.screenshot("confirm-approval").await;
    browser.click_and_wait("#decide button[type=submit]").await;
    browser.find("#withdrawal-done").await;
    assert_eq!(withdrawal_status(&app).await, "approved");

    browser.click_and_wait(r#"header nav a[href="/admin/settlements"]"#).await;
    let date = browser.find(r#"#settle-form input[name="date"]"#).await;
    browser.client.execute("arguments[0].value = arguments[1]", vec![serde_json::to_value(&date).unwrap(), json!(day(1))]).await.unwrap();
    browser.click_and_wait("#settle-form button[type=submit]").await;
    assert!(browser.find("#settled-days").await.text().await.unwrap().contains(&day(1)));

    browser.open(&format!("/admin/members/{A}")).await;
    let available = browser.find("#available").await.text().await.unwrap();
    assert!(browser.all("#adjust-form, #sponsor-form").await.is_empty(), "finance changes no member");
    browser.screenshot("member").await;
    let code = forge(&browser, &format!("/admin/members/{A}/adjust"), json!({"amount": "+1000.00", "reason": "to myself"})).await;
    assert_eq!(code, "role_forbidden");
    assert_eq!(app.summary(A).await["available"], json!(available), "nothing was adjusted");
    browser.close().await;
}

#[tokio::test]
async fn an_operator_adjusts_points_but_sees_no_settle_button_and_no_withdrawal_decision() {
    let (app, withdrawal) = scheme().await;
    let browser = Browser::start("operator-role", &app.address, Width::Phone).await;
    browser.login("operator", PASSWORD).await;
    browser.wait_for_path("/admin").await;
    let shown = sections(&browser).await;
    assert!(shown.iter().any(|p| p == "/admin/outbox") && !shown.iter().any(|p| p == "/admin/api-keys"), "{shown:?}");

    browser.open(&format!("/admin/members/{A}")).await;
    browser.fill(r#"#adjust-form input[name="amount"]"#, "12.50").await;
    browser.fill(r#"#adjust-form input[name="reason"]"#, "goodwill").await;
    browser.click_and_wait("#adjust-form button[type=submit]").await;
    browser.find(".notice").await;
    assert_eq!(app.summary(A).await["available"], "312.50");
    browser.screenshot("member").await;

    browser.open("/admin/settlements").await;
    browser.find("#history, .muted").await;
    assert!(browser.all("#settle-form").await.is_empty(), "no settle button");
    let code = forge(&browser, "/admin/settlements/run", json!({"date": day(1)})).await;
    assert_eq!(code, "role_forbidden");
    assert_eq!(app.get(&format!("/api/v1/settlements/{}", day(1))).await.status, 404, "nothing was settled");

    browser.open("/admin/withdrawals").await;
    browser.find(&format!("#withdrawal-{withdrawal}")).await;
    assert!(browser.all("#withdrawals a[data-action]").await.is_empty(), "no approve, reject or paid button");
    browser.assert_fits_the_width().await;
    browser.close().await;
}
