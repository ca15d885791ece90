//! One use case behind every door: the API, the pages and the command line refuse and record
//! the same things (each case here was once a copy that had drifted).
use std::process::Command;

use greenpoints::domain::audit::{Detail, Via};
use greenpoints::graph::audit;
use serde_json::json;

use crate::helpers::{TestApp, password, spawn_app};

async fn audit_log(app: &TestApp) -> Vec<audit::AuditRow> {
    audit::list(&app.graph, None, 100).await.unwrap()
}

/// `greenpoints api-key create` on the test's database; (exit success, stdout, stderr).
fn create_key_on_the_command_line(app: &TestApp, name: &str) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_greenpoints"))
        .args(["api-key", "create", "--name", name, "--scope", "orders:write"])
        .env("GREENPOINTS_GRAPH_URI", std::env::var("GREENPOINTS_GRAPH_URI").unwrap_or_else(|_| "bolt://127.0.0.1:7687".into()))
        .env("GREENPOINTS_GRAPH_DB", &*app.database)
        .env("GREENPOINTS_GRAPH_PASSWORD", password())
        .env("RUST_LOG", "warn")
        .output()
        .expect("run greenpoints");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).trim().to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

#[tokio::test]
async fn the_command_line_refuses_a_key_name_the_console_refuses_and_audits_the_keys_it_makes() {
    let app = spawn_app().await;
    let before = audit_log(&app).await.len();
    for blank_or_long in ["   ", &"k".repeat(51)] {
        let (ok, key, error) = create_key_on_the_command_line(&app, blank_or_long);
        assert!(!ok && key.is_empty(), "a name of {} characters is refused: {key}", blank_or_long.len());
        assert!(error.contains("1 to 50 characters"), "{error}");
    }
    assert_eq!(audit_log(&app).await.len(), before, "nothing was made");

    let (ok, key, error) = create_key_on_the_command_line(&app, "  mall  ");
    assert!(ok && key.starts_with("gp_"), "{error}");
    let entry = audit_log(&app).await.remove(0);
    assert_eq!((entry.actor.as_str(), entry.action.as_str()), ("cli", "api_key.create"));
    let made = Detail { key_name: Some("mall".into()), scopes: vec!["orders:write".into()], ..Detail::default() };
    assert_eq!(Detail::parse(&entry.detail), Some(made));
    let with_it = app.call_with(Some(&key), reqwest::Method::GET, "/api/v1/params", None).await;
    assert_eq!(with_it.status, 200, "the printed key works: {}", with_it.body);
}

#[tokio::test]
async fn registering_through_the_api_is_audited_as_registering_through_an_invitation_link_is() {
    let app = spawn_app().await;
    let root = app.post("/api/v1/members", json!({"phone": "13800000001"})).await;
    assert_eq!(root.status, 201, "{}", root.body);
    let member = app.post("/api/v1/members", json!({"phone": "13800000002", "sponsor_phone": "13800000001", "name": "  王小明  "})).await;
    assert_eq!(member.status, 201, "{}", member.body);
    assert_eq!(member.body["name"], "王小明");
    let too_long =
        app.post("/api/v1/members", json!({"phone": "13800000003", "sponsor_phone": "13800000001", "name": "名".repeat(51)})).await;
    assert_eq!((too_long.status, too_long.code()), (400, "invalid_name"));

    let registered: Vec<(String, String, String)> =
        audit_log(&app).await.into_iter().filter(|e| e.action == "member.register").map(|e| (e.target, e.detail, e.actor)).collect();
    assert_eq!(registered.len(), 2, "{registered:?}");
    let through_the_api = |sponsor: Option<&str>| {
        Some(Detail { via: Some(Via::Api), sponsor: sponsor.map(str::to_string), root: sponsor.is_none(), ..Detail::default() })
    };
    assert_eq!((registered[0].0.as_str(), Detail::parse(&registered[0].1)), ("13800000002", through_the_api(Some("13800000001"))));
    assert_eq!((registered[1].0.as_str(), Detail::parse(&registered[1].1)), ("13800000001", through_the_api(None)));
    assert!(registered.iter().all(|(_, _, actor)| actor.starts_with("api_key:")));
}

/// A clock that stands still, an hour behind the machine's.
struct HourBehind(chrono::DateTime<chrono::Utc>);

impl greenpoints::app::Clock for HourBehind {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.0
    }
}

#[tokio::test]
async fn the_application_reads_the_time_from_its_clock() {
    let clock = HourBehind(chrono::Utc::now() - chrono::TimeDelta::hours(1));
    let settings = greenpoints::app::Settings { clock: std::sync::Arc::new(clock), ..Default::default() };
    let app = crate::helpers::spawn_app_with(settings).await;
    app.member("13800000001", None).await;

    let paid_now = chrono::Utc::now().to_rfc3339();
    let order = json!({"order_id": "o-1", "phone": "13800000001", "amount": "100.00", "paid_at": paid_now});
    let refused = app.post("/api/v1/orders", order).await;
    assert_eq!((refused.status, refused.code()), (422, "paid_at_in_future"), "an hour ahead of the app's clock: {}", refused.body);
    let paid_earlier = (chrono::Utc::now() - chrono::TimeDelta::hours(2)).to_rfc3339();
    let order = json!({"order_id": "o-2", "phone": "13800000001", "amount": "100.00", "paid_at": paid_earlier});
    assert_eq!(app.post("/api/v1/orders", order).await.status, 201);
}

#[tokio::test(flavor = "current_thread")]
async fn an_admin_login_checks_its_password_off_the_thread_that_serves_requests() {
    let app = spawn_app().await;
    app.admin("ops", "correct horse battery").await;
    let application = crate::helpers::application(&app.graph);
    // What one password check costs here, measured now.
    let password = greenpoints::domain::password::Password::parse("correct horse battery").unwrap();
    let hash = password.hash();
    let started = std::time::Instant::now();
    assert!(password.matches(&hash));
    let one_check = started.elapsed();
    // On this one-thread runtime, a task that ticks every millisecond stops ticking whenever
    // something blocks the thread.
    let ticks = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let ticker = tokio::spawn({
        let ticks = ticks.clone();
        async move {
            loop {
                ticks.lock().unwrap().push(std::time::Instant::now());
                tokio::time::sleep(std::time::Duration::from_millis(1)).await;
            }
        }
    });
    let client = greenpoints::domain::client_address::TrustedProxies::default().client(std::net::Ipv4Addr::LOCALHOST.into(), &[]);
    let refused = greenpoints::app::auth::admin_login(&application, "ops", "wrong password", client).await;
    // A tick after the login, so that a pause at its very end is seen too.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    ticker.abort();
    assert_eq!(refused.err().and_then(|e| e.refusal()), Some(greenpoints::domain::error_code::ErrorCode::InvalidCredentials));
    let ticks = ticks.lock().unwrap();
    let longest_pause = ticks.windows(2).map(|w| w[1] - w[0]).max().unwrap();
    assert!(longest_pause < one_check, "the thread paused {longest_pause:?}; one check takes {one_check:?}");
}
