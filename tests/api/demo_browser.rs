//! `greenpoints demo`, the command `make run` starts with, on the test's own database: it seeds a
//! small network, settles through yesterday and prints two logins; with them an admin previews
//! and settles today in the console and a member reads the income on a phone. Screenshots land in
//! `target/screenshots/demo-*.png` (the README shows some).
use std::process::Command;

use rust_decimal::Decimal;
use serde_json::Value;

use crate::browser::harness::{Browser, Width};
use crate::helpers::{TestApp, day, password, spawn_app};

/// `greenpoints demo` on the test's database; its standard output (and it asserts it succeeded).
fn run_demo(app: &TestApp, passwords: &std::path::Path) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_greenpoints"))
        .args(["demo", "--members", "300", "--days", "10", "--url", &app.address])
        .arg("--passwords")
        .arg(passwords)
        .env("GREENPOINTS_GRAPH_URI", std::env::var("GREENPOINTS_GRAPH_URI").unwrap_or_else(|_| "bolt://127.0.0.1:7687".into()))
        .env("GREENPOINTS_GRAPH_DB", &*app.database)
        .env("GREENPOINTS_GRAPH_PASSWORD", password())
        .env("RUST_LOG", "warn")
        .output()
        .expect("run greenpoints demo");
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(output.status.success(), "demo failed: {stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    stdout
}

/// The word after `label` on the line of `output` that starts with `line`.
fn printed(output: &str, line: &str, label: &str) -> String {
    let line = output.lines().find(|l| l.starts_with(line)).unwrap_or_else(|| panic!("no `{line}` line in {output}"));
    let after = line.split(label).nth(1).unwrap_or_else(|| panic!("no `{label}` in `{line}`"));
    after.split_whitespace().next().unwrap().to_string()
}

/// A figure as the pages print it (`1,234.56`).
fn figure(text: &str) -> Decimal {
    text.trim().replace(',', "").parse().unwrap_or_else(|_| panic!("a figure: {text}"))
}

#[tokio::test]
async fn the_demo_prints_two_logins_with_which_an_admin_previews_and_settles_today_and_a_member_reads_the_income() {
    let app = spawn_app().await;
    let passwords = std::env::temp_dir().join(format!("greenpoints-{}", &*app.database));
    let output = run_demo(&app, &passwords);
    let (today, yesterday) = (day(0), day(1));

    // Every day through yesterday is settled; today is left, and the output says so.
    assert!(output.contains(&format!("today, {today}, is left to settle")), "{output}");
    assert_eq!(app.get(&format!("/api/v1/settlements/{yesterday}")).await.body["status"], "settled");
    assert_eq!(app.get(&format!("/api/v1/settlements/{today}")).await.status, 404, "today is not settled");
    let admin_password = printed(&output, "admin login:", "password:");
    let phone = printed(&output, "member login:", "phone:");
    let member_password = printed(&output, "member login:", "password:");
    assert!(output.contains(&format!("{}/admin/login", app.address)), "{output}");

    // A second run keeps the network and the passwords, and settles nothing more.
    let again = run_demo(&app, &passwords);
    assert!(again.contains("nothing seeded") && again.contains("nothing to settle before today"), "{again}");
    assert_eq!(printed(&again, "admin login:", "password:"), admin_password);
    assert_eq!(printed(&again, "member login:", "password:"), member_password);
    std::fs::remove_dir_all(&passwords).unwrap();

    // The admin: the dashboard, the preview of today (nothing written), then today settled.
    let browser = Browser::start("demo", &app.address, Width::Desktop).await;
    browser.login("admin", &admin_password).await;
    browser.wait_for_path("/admin").await;
    browser.screenshot("dashboard").await;
    browser.click_and_wait(r#"nav a[href="/admin/settlements"]"#).await;
    browser.click_and_wait("#preview-link").await;
    assert!(browser.find("h1").await.text().await.unwrap().contains(&today), "the preview is of today");
    let previewed: i64 = browser.find("#members-paid").await.text().await.unwrap().trim().parse().unwrap();
    assert!(previewed > 100, "most of the 300 members are paid: {previewed}");
    assert!(!browser.all("#payouts tbody tr").await.is_empty(), "the preview lists the largest payouts");
    browser.screenshot("preview").await;
    assert_eq!(app.get(&format!("/api/v1/settlements/{today}")).await.status, 404, "a preview writes nothing");

    browser.click_and_wait(r#"nav a[href="/admin/settlements"]"#).await;
    let date = browser.find(r#"#settle-form input[name="date"]"#).await;
    browser
        .client
        .execute("arguments[0].value = arguments[1]", vec![serde_json::to_value(&date).unwrap(), Value::String(today.clone())])
        .await
        .unwrap();
    browser.click_and_wait("#settle-form button[type=submit]").await;
    assert!(browser.find("#settled-days").await.text().await.unwrap().contains(&today));
    let settled = app.get(&format!("/api/v1/settlements/{today}")).await.body;
    assert_eq!(settled["status"], "settled");
    assert_eq!(settled["members_paid"], Value::from(previewed), "the settlement paid whom the preview said: {settled}");
    browser.find(&format!(r#"#history a.day-link[href="/admin/settlements/{today}"]"#)).await;
    browser.screenshot("settlements").await;
    browser.close().await;

    // The member, on a phone: income on the dashboard and today's statement.
    let phone_browser = Browser::start("demo-member", &app.address, Width::Phone).await;
    phone_browser.open("/login").await;
    phone_browser.fill("#phone", &phone).await;
    phone_browser.fill("#password", &member_password).await;
    phone_browser.click_and_wait("button[type=submit]").await;
    phone_browser.wait_for_path("/").await;
    let available = phone_browser.find("#available").await.text().await.unwrap();
    assert!(figure(&available) > Decimal::ZERO, "the member has income: {available}");
    assert_eq!(figure(&available), figure(app.summary(&phone).await["available"].as_str().unwrap()));
    phone_browser.screenshot("dashboard").await;
    phone_browser.click_and_wait(r#"nav a[href="/statements"]"#).await;
    phone_browser.screenshot("statements").await;
    phone_browser.click_and_wait(&format!(r#"a.statement-link[href="/statements/{today}"]"#)).await;
    assert!(!phone_browser.all(".source").await.is_empty(), "today's income has its sources per branch");
    phone_browser.screenshot("statement").await;
    phone_browser.close().await;
}
