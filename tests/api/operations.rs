//! The operator's endpoints: `/healthz`, `/readyz` and `/metrics`.
use serde_json::Value;

use crate::helpers::{at, day, spawn_app};

#[tokio::test]
async fn health_and_readiness_answer_and_the_metrics_count_requests_database_exchanges_and_settlements() {
    let app = spawn_app().await;
    let health: Value = app.client.get(format!("{}/healthz", app.address)).send().await.unwrap().json().await.unwrap();
    assert_eq!(health["status"], "ok");
    let ready = app.client.get(format!("{}/readyz", app.address)).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    let ready: Value = ready.json().await.unwrap();
    assert_eq!((ready["status"].as_str(), &ready["settlement_running"]), (Some("ready"), &Value::Null), "{ready}");

    app.member("13800000001", None).await;
    app.summary("13800000001").await;
    app.order("metrics-1", "13800000001", "3000.00", &at(2, "10:00")).await;
    app.settle(&day(1)).await;
    let metrics = app.client.get(format!("{}/metrics", app.address)).send().await.unwrap();
    assert_eq!(metrics.status(), 200);
    let text = metrics.text().await.unwrap();
    for expected in [
        r#"greenpoints_http_requests_total{endpoint="/api/v1/members/{phone}",method="GET",status="200"}"#,
        "greenpoints_http_requests_duration_seconds_bucket{",
        r#"greenpoints_database_exchanges_total{outcome="ok"}"#,
        r#"greenpoints_settlement_runs_total{outcome="settled"}"#,
        "greenpoints_settlement_day_seconds_count",
    ] {
        assert!(text.contains(expected), "/metrics lacks {expected}:\n{text}");
    }
    let unmatched = app.client.get(format!("{}/api/v1/no/such/{}", app.address, uuid::Uuid::new_v4())).send().await.unwrap();
    assert_eq!(unmatched.status(), 404);
    let text = app.client.get(format!("{}/metrics", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(!text.contains("/api/v1/no/such/"), "paths no route matched are not series of their own");
}

#[tokio::test]
async fn every_answer_carries_a_request_id_of_its_own() {
    let app = spawn_app().await;
    let mut ids = std::collections::HashSet::new();
    for path in ["/healthz", "/healthz", "/api/v1/params", "/api/v1/nothing-here"] {
        let response = app.client.get(format!("{}{path}", app.address)).bearer_auth(&app.key).send().await.unwrap();
        let id = response.headers()["x-request-id"].to_str().unwrap().to_string();
        assert!(uuid::Uuid::parse_str(&id).is_ok(), "{path}: {id}");
        assert!(ids.insert(id), "{path}: each request has its own id");
    }
    let sent = app.client.get(format!("{}/healthz", app.address)).header("x-request-id", "forged-id").send().await.unwrap();
    assert_ne!(sent.headers()["x-request-id"], "forged-id", "a client's id never reaches the logs");
}
