//! The API against its own OpenAPI document: the document passes `openapi-spec-validator`, and
//! schemathesis, driven by it with every check on, finds no server error, no answer that breaks
//! the document's schemas and no status the document does not list. Both tools come from the
//! pinned virtual environment `make test` installs (`tools/requirements.txt`).
use std::path::PathBuf;
use std::process::Command;

use serde_json::json;

use crate::helpers::{at, spawn_app};

const ROOT: &str = "13800000001";
const MEMBER: &str = "13800000002";
const PASSWORD: &str = "ledger-keeper-Moon-7";

fn tool(name: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".tools/venv/bin").join(name);
    assert!(path.exists(), "{} is missing: `make test` installs it (make python-tools)", path.display());
    path
}

#[tokio::test]
async fn the_openapi_document_passes_the_openapi_validator() {
    let app = spawn_app().await;
    let document = app.client.get(format!("{}/api/v1/openapi.json", app.address)).send().await.unwrap().text().await.unwrap();
    let file = std::env::temp_dir().join(format!("greenpoints-openapi-{}.json", uuid::Uuid::new_v4().simple()));
    std::fs::write(&file, document).unwrap();
    let output = Command::new(tool("openapi-spec-validator")).arg(&file).output().expect("run openapi-spec-validator");
    let _ = std::fs::remove_file(&file);
    let report = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "the validator refused the document:\n{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_no_server_error_and_no_answer_the_document_does_not_describe() {
    let app = spawn_app().await;
    // Something to find: a root with points and a password, a member below it, an order, a
    // withdrawal and a settled day.
    let registered = app.post("/api/v1/members", json!({"phone": ROOT, "sponsor_phone": null, "password": PASSWORD})).await;
    assert_eq!(registered.status, 201, "{}", registered.body);
    app.member(MEMBER, Some(ROOT)).await;
    app.order("fuzz-order-1", MEMBER, "3000.00", &at(3, "10:00")).await;
    app.settle(&crate::helpers::day(2)).await;
    let added = app.post(&format!("/api/v1/members/{ROOT}/adjustments"), json!({"amount": "500.00", "reason": "fuzz"})).await;
    assert_eq!(added.status, 201, "{}", added.body);
    let requested = app.post("/api/v1/withdrawals", json!({"phone": ROOT, "amount": "100.00", "idempotency_key": "fuzz-1"})).await;
    assert_eq!(requested.status, 201, "{}", requested.body);
    let login = app
        .client
        .post(format!("{}/api/v1/auth/login", app.address))
        .json(&json!({"phone": ROOT, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let cookie = login.cookies().find(|c| c.name() == "gp_member").expect("a member session").value().to_string();

    // Logging out and changing the password end the member session the other operations use:
    // they run last, on their own.
    let session_enders = "^/auth/(logout|change-password)$";
    let mut failures = Vec::new();
    for (run, selection) in [("all but the session enders", "--exclude-path-regex"), ("the session enders", "--include-path-regex")] {
        let mut command = Command::new(tool("st"));
        command
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["--config-file", "tools/schemathesis.toml", "run"])
            .arg(format!("{}/api/v1/openapi.json", app.address))
            // One worker: hypothesis describes its strategies with `ast`, which CPython 3.11 does not
            // parse safely on two threads at once ("AST constructor recursion depth mismatch").
            .args(["--checks", "all", "--seed", "20261201", "--workers", "1", "--no-color"])
            .args(["--max-time", if run == "the session enders" { "20" } else { "150" }])
            .args(["--generation-database", "none", "--request-timeout", "20", selection, session_enders])
            .env("GREENPOINTS_FUZZ_KEY", &app.key)
            .env("GREENPOINTS_FUZZ_SESSION", &cookie);
        let output = tokio::task::spawn_blocking(move || command.output()).await.unwrap().expect("run schemathesis");
        let report = String::from_utf8_lossy(&output.stdout).to_string();
        let summary = report.find("=== SUMMARY").map_or(report.as_str(), |at| &report[at..]);
        // The summary, for the log of `make test`.
        println!("schemathesis, {run}:\n{summary}");
        if !output.status.success() {
            failures.push(format!("{run}:\n{report}\n{}", String::from_utf8_lossy(&output.stderr)));
        }
    }
    assert!(failures.is_empty(), "schemathesis found failures:\n{}", failures.join("\n"));
}
