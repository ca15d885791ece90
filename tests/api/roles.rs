//! Admin roles, disabled admins and API key scopes (SPEC §5): every console action asks the role
//! the admin has at this request; an admin's password set or its disabling ends its sessions; a key
//! reads only what its scopes name; asking for a withdrawal and deciding it are separate duties.
use std::io::Write;
use std::process::{Command, Stdio};

use greenpoints::domain::audit::Detail;
use greenpoints::domain::role::Role;
use greenpoints::domain::scope::Scope;
use greenpoints::graph::audit;
use reqwest::Method;
use serde_json::json;

use crate::helpers::{TestApp, at, day, password, spawn_app};
use crate::pages_client::{Http, Reply, input_value};

const PASSWORD: &str = "correct horse battery";
const ROOT: &str = "13800000001";
const A: &str = "13800000002";
const B: &str = "13800000003";

/// A console session of one admin: its cookie and its form token.
struct Console {
    http: Http,
    cookie: String,
    csrf: String,
}

impl Console {
    /// Logs in through the login form as a browser would.
    async fn login(app: &TestApp, username: &str) -> Console {
        Console::login_with(app, username, PASSWORD).await
    }

    async fn login_with(app: &TestApp, username: &str, password: &str) -> Console {
        let http = Http::new(app);
        let login = login(&http, username, password).await;
        assert_eq!((login.status, login.location.as_str()), (303, "/admin"), "{username} logs in: {}", login.body);
        let cookie = login.cookie("gp_admin").expect("the login sets the session cookie");
        let dashboard = http.get("/admin", &[("gp_admin", &cookie)]).await;
        assert_eq!(dashboard.status, 200, "{username} opens the dashboard");
        let csrf = input_value(&dashboard.body, "csrf").expect("the page's forms carry the CSRF token");
        Console { http, cookie, csrf }
    }

    async fn get(&self, path: &str) -> Reply {
        self.http.get(path, &[("gp_admin", &self.cookie)]).await
    }

    /// Posts a form with this session's token.
    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let mut form = vec![("csrf", self.csrf.as_str())];
        form.extend_from_slice(fields);
        self.http.post(path, &[("gp_admin", &self.cookie)], &form).await
    }
}

async fn login(http: &Http, username: &str, password: &str) -> Reply {
    let form = http.get("/admin/login", &[]).await;
    let token = form.cookie("gp_login").expect("the login form sets its token cookie");
    let fields = [("csrf", token.as_str()), ("next", "/admin"), ("username", username), ("password", password)];
    http.post("/admin/login", &[("gp_login", token.as_str())], &fields).await
}

fn is_role_forbidden(reply: &Reply) -> bool {
    reply.status == 403 && reply.body.contains(r#"data-code="role_forbidden""#)
}

fn is_login_redirect(reply: &Reply) -> bool {
    reply.status == 303 && reply.location.starts_with("/admin/login")
}

/// Three members, points on A, a withdrawal of A's requested, one admin of every role.
async fn scheme() -> (TestApp, String) {
    let app = spawn_app().await;
    app.member(ROOT, None).await;
    app.member(A, Some(ROOT)).await;
    app.member(B, Some(ROOT)).await;
    let added = app.post(&format!("/api/v1/members/{A}/adjustments"), json!({"amount": "500.00", "reason": "test"})).await;
    assert_eq!(added.status, 201, "{}", added.body);
    let requested = app.post("/api/v1/withdrawals", json!({"phone": A, "amount": "200.00", "idempotency_key": "roles-1"})).await;
    assert_eq!(requested.status, 201, "{}", requested.body);
    for role in Role::ALL {
        app.admin_as(role.as_str(), PASSWORD, Some(role)).await;
    }
    (app, requested.body["id"].as_str().unwrap().to_string())
}

/// What the refused actions would have changed.
#[derive(Debug, PartialEq)]
struct State {
    available: serde_json::Value,
    sponsor: serde_json::Value,
    withdrawal: serde_json::Value,
    settled: u16,
    params_versions: usize,
    keys: usize,
}

async fn state(app: &TestApp) -> State {
    let a = app.summary(A).await;
    let withdrawals = app.get("/api/v1/withdrawals").await.body;
    let keys = greenpoints::graph::api_keys::list(&app.graph).await.unwrap().iter().filter(|k| k.revoked_at_ms.is_none()).count();
    State {
        available: a["available"].clone(),
        sponsor: a["sponsor_phone"].clone(),
        withdrawal: withdrawals["items"][0]["status"].clone(),
        settled: app.get(&format!("/api/v1/settlements/{}", day(1))).await.status,
        params_versions: app.get("/api/v1/params").await.body["versions"].as_array().unwrap().len(),
        keys,
    }
}

/// A console form post: (what it does, its path, its fields, the roles besides the owner that may post it).
type Post<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>, &'a [Role]);

#[tokio::test]
async fn every_action_a_role_does_not_allow_answers_403_role_forbidden_on_the_error_page_and_changes_nothing() {
    let (app, withdrawal) = scheme().await;
    let key_id = greenpoints::graph::api_keys::list(&app.graph).await.unwrap()[0].id.clone();
    let before = state(&app).await;
    let yesterday = day(1);
    let adjust = format!("/admin/members/{A}/adjust");
    let sponsor = format!("/admin/members/{A}/sponsor");
    let approve = format!("/admin/withdrawals/{withdrawal}/approve");
    let reject = format!("/admin/withdrawals/{withdrawal}/reject");
    let revoke = format!("/admin/api-keys/{key_id}/revoke");
    let posts: [Post; 8] = [
        (
            "adjust points",
            &adjust,
            vec![("amount", "+9.00"), ("reason", "not mine to give"), ("idempotency_key", "r-1")],
            &[Role::Operator],
        ),
        ("change a sponsor", &sponsor, vec![("sponsor_phone", B)], &[Role::Operator]),
        ("settle", "/admin/settlements/run", vec![("date", &yesterday)], &[Role::Finance]),
        ("approve a withdrawal", &approve, vec![("status", "requested")], &[Role::Finance]),
        ("reject a withdrawal", &reject, vec![("status", "requested"), ("reason", "not mine to reject")], &[Role::Finance]),
        ("create an API key", "/admin/api-keys", vec![("name", "sneaky"), ("scope", "admin")], &[]),
        ("revoke an API key", &revoke, vec![], &[]),
        ("cancel a parameter version", "/admin/params/1/cancel", vec![("confirm", "yes")], &[]),
    ];
    let gets: [(&str, &str, &[Role]); 3] = [
        ("preview", "/admin/settlements/preview", &[Role::Finance]),
        ("the API keys", "/admin/api-keys", &[]),
        ("the SMS outbox", "/admin/outbox", &[Role::Operator]),
    ];
    for role in [Role::Finance, Role::Operator, Role::Auditor] {
        let console = Console::login(&app, role.as_str()).await;
        for (what, path, fields, allowed) in &posts {
            if allowed.contains(&role) {
                continue;
            }
            let reply = console.post(path, fields).await;
            assert!(is_role_forbidden(&reply), "{role} may not {what}: {} {}", reply.status, reply.body);
            assert!(
                reply.body.contains("<!doctype html>") && reply.body.contains(r#"href="/admin""#),
                "the styled error page: {}",
                reply.body
            );
        }
        let params = console.post("/admin/params", &[("effective_from", &day(-5)), ("withdrawal_min", "150.00")]).await;
        assert!(is_role_forbidden(&params), "{role} may not add a parameter version: {}", params.status);
        for (what, path, allowed) in &gets {
            let reply = console.get(path).await;
            if allowed.contains(&role) {
                assert_eq!(reply.status, 200, "{role} opens {what}");
            } else {
                assert!(is_role_forbidden(&reply), "{role} may not open {what}: {}", reply.status);
            }
        }
    }
    assert_eq!(state(&app).await, before, "no refused action changed anything");

    // What each role may do, it does.
    let operator = Console::login(&app, "operator").await;
    let adjusted = operator.post(&adjust, &[("amount", "+9.00"), ("reason", "goodwill"), ("idempotency_key", "r-2")]).await;
    assert_eq!(
        (adjusted.status, adjusted.location.as_str()),
        (303, format!("/admin/members/{A}?done=adjust&amount=%2B9.00").as_str()),
        "{}",
        adjusted.body
    );
    let finance = Console::login(&app, "finance").await;
    let approved = finance.post(&approve, &[("status", "requested")]).await;
    assert_eq!(approved.status, 303, "finance approves: {}", approved.body);
    let settled = finance.post("/admin/settlements/run", &[("date", &yesterday)]).await;
    assert_eq!(settled.status, 303, "finance settles: {}", settled.body);
    let auditor = Console::login(&app, "auditor").await;
    let csv = auditor.get(&format!("/admin/settlements/{yesterday}/payouts.csv")).await;
    assert_eq!(csv.status, 200, "the auditor exports payouts (an export reads)");
    let after = state(&app).await;
    assert_eq!((after.available, after.withdrawal, after.settled), (json!("309.00"), json!("approved"), 200));

    let audit = audit::list(&app.graph, None, 100).await.unwrap();
    for (actor, action) in
        [("admin:operator", "member.adjust"), ("admin:finance", "withdrawal.approve"), ("admin:finance", "settlement.run")]
    {
        assert!(audit.iter().any(|e| e.actor == actor && e.action == action), "{action} by {actor}: {audit:#?}");
    }
    assert!(!audit.iter().any(|e| e.actor == "admin:auditor" && e.action != "admin.login"), "the auditor did nothing but log in");
}

/// The paths of a page's navigation.
fn navigation(page: &str) -> Vec<String> {
    let nav = page.split("<nav>").nth(1).and_then(|rest| rest.split("</nav>").next()).expect("the header's navigation");
    nav.split(r#"<a href=""#).skip(1).map(|link| link.split('"').next().unwrap().to_string()).collect()
}

#[tokio::test]
async fn each_role_sees_only_the_sections_forms_and_buttons_it_may_use() {
    let (app, withdrawal) = scheme().await;
    app.settle(&day(2)).await;
    let read_only =
        ["/admin", "/admin/members", "/admin/tree", "/admin/settlements", "/admin/params", "/admin/withdrawals", "/admin/audit"];
    for role in Role::ALL {
        let console = Console::login(&app, role.as_str()).await;
        let dashboard = console.get("/admin").await;
        let mut expected: Vec<&str> = read_only.to_vec();
        if role == Role::Owner {
            expected.push("/admin/api-keys");
        }
        if matches!(role, Role::Owner | Role::Operator) {
            expected.push("/admin/outbox");
        }
        let mut shown = navigation(&dashboard.body);
        shown.sort();
        expected.sort();
        assert_eq!(shown, expected, "the sections {role} sees");
        assert!(dashboard.body.contains(&format!("<span>{role} · ")), "the header names the role: {role}");
        for path in read_only {
            assert_eq!(console.get(path).await.status, 200, "{role} reads {path}");
        }

        let member = console.get(&format!("/admin/members/{A}")).await.body;
        let members_forms = matches!(role, Role::Owner | Role::Operator);
        assert_eq!(member.contains(r#"id="adjust-form""#), members_forms, "{role}: the adjustment form");
        assert_eq!(member.contains(r#"id="sponsor-form""#), members_forms, "{role}: the sponsor form");

        let settlements = console.get("/admin/settlements").await.body;
        let money_forms = matches!(role, Role::Owner | Role::Finance);
        assert_eq!(settlements.contains(r#"id="settle-form""#), money_forms, "{role}: the settle form");
        assert_eq!(settlements.contains(r#"id="preview-link""#), money_forms, "{role}: the preview link");

        let queue = console.get("/admin/withdrawals").await.body;
        assert!(queue.contains(&format!(r#"id="withdrawal-{withdrawal}""#)), "{role} sees the queue");
        let approve = format!(r#"href="/admin/withdrawals/{withdrawal}/approve?status=requested""#);
        assert_eq!(queue.contains(&approve), money_forms, "{role}: approve");
        let confirm = console.get(&format!("/admin/withdrawals/{withdrawal}/approve")).await.status;
        assert_eq!(confirm, if money_forms { 200 } else { 403 }, "{role}: the approval's confirmation page");

        let day_page = console.get(&format!("/admin/settlements/{}", day(2))).await.body;
        assert_eq!(day_page.contains(r#"id="csv""#), role != Role::Operator, "{role}: the CSV export");

        let params = console.get("/admin/params").await.body;
        assert_eq!(params.contains(r#"id="new-params""#), role == Role::Owner, "{role}: the new version form");
        assert_eq!(params.contains(r#"id="params-in-force""#), role != Role::Owner, "{role}: the version in force, read only");
    }
}

#[tokio::test]
async fn a_role_changed_in_the_graph_applies_to_the_next_request_of_a_session_already_open() {
    let (app, _) = scheme().await;
    let console = Console::login(&app, "operator").await;
    let adjust = format!("/admin/members/{A}/adjust");
    let first = console.post(&adjust, &[("amount", "+1.00"), ("reason", "a"), ("idempotency_key", "c-1")]).await;
    assert_eq!(first.status, 303, "the operator adjusts: {}", first.body);

    app.graph.run(neo4rs::query("MATCH (a:Admin {username: $u}) SET a.role = 'auditor'").param("u", "operator")).await.unwrap();
    let second = console.post(&adjust, &[("amount", "+1.00"), ("reason", "b"), ("idempotency_key", "c-2")]).await;
    assert!(is_role_forbidden(&second), "the same session is an auditor's now: {}", second.status);
    assert!(!console.get(&format!("/admin/members/{A}")).await.body.contains(r#"id="adjust-form""#), "and its page shows no form");
    assert_eq!(app.summary(A).await["available"], "301.00", "adjusted once");

    app.graph.run(neo4rs::query("MATCH (a:Admin {username: $u}) SET a.role = 'superuser'").param("u", "operator")).await.unwrap();
    assert!(is_login_redirect(&console.get("/admin").await), "a role this version does not know opens nothing");
}

#[tokio::test]
async fn an_admin_made_before_roles_has_no_role_stored_and_is_an_owner() {
    let (app, withdrawal) = scheme().await;
    app.admin("old-timer", PASSWORD).await;
    app.graph.run(neo4rs::query("MATCH (a:Admin {username: $u}) REMOVE a.role").param("u", "old-timer")).await.unwrap();
    let console = Console::login(&app, "old-timer").await;
    assert_eq!(console.get("/admin/api-keys").await.status, 200, "an owner manages API keys");
    let approved = console.post(&format!("/admin/withdrawals/{withdrawal}/approve"), &[("status", "requested")]).await;
    assert_eq!(approved.status, 303, "and decides withdrawals: {}", approved.body);

    // Setting its password keeps its powers, now stored.
    app.admin("old-timer", "another long password").await;
    let role: Option<serde_json::Value> =
        app.graph.row(neo4rs::query("MATCH (a:Admin {username: $u}) RETURN a.role AS role").param("u", "old-timer")).await.unwrap();
    assert_eq!(role.unwrap()["role"], "owner");
}

async fn audit_entries(app: &TestApp, target: &str) -> Vec<(String, String, String)> {
    let mut entries: Vec<_> = audit::list(&app.graph, None, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.target == target && e.action != "admin.login")
        .map(|e| (e.actor, e.action, e.detail))
        .collect();
    entries.reverse();
    entries
}

#[tokio::test]
async fn the_command_line_adds_an_admin_with_a_role_and_a_new_password_or_role_ends_every_session_of_that_admin() {
    let app = spawn_app().await;
    let cli = Cli::of(&app);
    let (ok, said) = cli.run(&["add", "cashier", "--role", "finance"], PASSWORD).await;
    assert!(ok, "{said}");
    assert!(said.contains("created admin cashier (role finance)"), "{said}");
    let (ok, said) = cli.run(&["add", "cashier", "--role", "treasurer"], PASSWORD).await;
    assert!(!ok && said.contains("owner, finance, operator, auditor"), "an unknown role is refused: {said}");

    let console = Console::login(&app, "cashier").await;
    assert_eq!(console.get("/admin/settlements").await.status, 200);
    assert!(console.get("/admin/settlements").await.body.contains(r#"id="settle-form""#), "a finance admin settles");

    // A new password, same role: the open session ends.
    let (ok, said) = cli.run(&["add", "cashier"], "a brand new password").await;
    assert!(ok && said.contains("role finance") && said.contains("1 sessions ended"), "{said}");
    assert!(is_login_redirect(&console.get("/admin").await), "the session opened with the old password has ended");
    assert_eq!(login(&Http::new(&app), "cashier", PASSWORD).await.status, 401, "the old password no longer works");

    // A new role (with its password).
    let sessions = [
        Console::login_with(&app, "cashier", "a brand new password").await,
        Console::login_with(&app, "cashier", "a brand new password").await,
    ];
    let (ok, said) = cli.run(&["add", "cashier", "--role", "auditor"], "a brand new password").await;
    assert!(ok && said.contains("its role is now auditor") && said.contains("2 sessions ended"), "{said}");
    for console in &sessions {
        assert!(is_login_redirect(&console.get("/admin").await), "every session of the admin has ended");
    }

    // In the audit log by `cli`; the role change has its own entry (in the same transaction, at the same time).
    let mut entries = audit_entries(&app, "cashier").await;
    entries.sort();
    let role = |role: &str, ended: i64| Detail { role: Some(role.into()), sessions_ended: Some(ended), ..Detail::default() };
    let expected = [
        ("admin.add", role("finance", 0)),
        ("admin.password", role("auditor", 2)),
        ("admin.password", role("finance", 1)),
        ("admin.role", Detail { role: Some("auditor".into()), role_was: Some("finance".into()), ..Detail::default() }),
    ];
    let mut expected: Vec<(String, String, String)> = expected.iter().map(|(a, d)| ("cli".into(), a.to_string(), d.to_stored())).collect();
    expected.sort();
    assert_eq!(entries, expected);
}

#[tokio::test]
async fn a_disabled_admin_is_signed_out_at_once_and_refused_at_login_as_a_wrong_password_is_until_added_again() {
    let (app, _) = scheme().await;
    let cli = Cli::of(&app);
    let console = Console::login(&app, "operator").await;
    let other = Console::login(&app, "operator").await;

    let (ok, said) = cli.run(&["disable", "operator"], "").await;
    assert!(ok && said.contains("disabled admin operator; 2 sessions ended"), "{said}");
    for session in [&console, &other] {
        assert!(is_login_redirect(&session.get("/admin").await), "every session of the admin has ended");
        let post = session.post(&format!("/admin/members/{A}/adjust"), &[("amount", "+1.00"), ("reason", "x")]).await;
        assert!(is_login_redirect(&post), "and posts nothing");
    }
    let http = Http::new(&app);
    let disabled = login(&http, "operator", PASSWORD).await;
    let wrong = login(&http, "auditor", "not the password at all").await;
    assert_eq!((disabled.status, wrong.status), (401, 401));
    assert!(disabled.cookie("gp_admin").is_none(), "no session was opened");
    let message = |reply: &Reply| reply.body.split(r#"class="error""#).nth(1).map(|rest| rest.split("</").next().unwrap().to_string());
    assert_eq!(message(&disabled), message(&wrong), "the same answer as a wrong password");

    let (ok, said) = cli.run(&["disable", "nobody"], "").await;
    assert!(!ok && said.contains("no admin is named nobody"), "{said}");
    let (ok, said) = cli.run(&["disable", "operator"], "").await;
    assert!(ok && said.contains("was disabled already"), "{said}");

    // `admin add` with a new password lets it back in, with its role.
    let (ok, said) = cli.run(&["add", "operator"], PASSWORD).await;
    assert!(ok && said.contains("may log in again") && said.contains("role operator"), "{said}");
    let back = Console::login(&app, "operator").await;
    assert!(back.get(&format!("/admin/members/{A}")).await.body.contains(r#"id="adjust-form""#));

    let entries = audit_entries(&app, "operator").await;
    let actions: Vec<(&str, &str)> = entries.iter().map(|(actor, action, _)| (actor.as_str(), action.as_str())).collect();
    assert_eq!(
        actions,
        [("cli", "admin.add"), ("cli", "admin.disable"), ("cli", "admin.disable"), ("cli", "admin.password")],
        "{entries:#?}"
    );
    assert_eq!(Detail::parse(&entries[1].2), Some(Detail { sessions_ended: Some(2), ..Detail::default() }));
    assert!(Detail::parse(&entries[3].2).is_some_and(|d| d.enabled_again), "{entries:#?}");
}

/// `greenpoints admin …` on a test's database, the password (if any) on standard input.
struct Cli {
    database: String,
}

impl Cli {
    fn of(app: &TestApp) -> Cli {
        Cli { database: app.database.0.clone() }
    }

    /// Runs `greenpoints admin ARGS` off the test's runtime; (exit success, standard error).
    async fn run(&self, args: &[&str], stdin: &str) -> (bool, String) {
        let (database, args, stdin) = (self.database.clone(), args.iter().map(|a| a.to_string()).collect::<Vec<_>>(), stdin.to_string());
        tokio::task::spawn_blocking(move || {
            let mut child = Command::new(env!("CARGO_BIN_EXE_greenpoints"))
                .arg("admin")
                .args(&args)
                .env("GREENPOINTS_GRAPH_URI", std::env::var("GREENPOINTS_GRAPH_URI").unwrap_or_else(|_| "bolt://127.0.0.1:7687".into()))
                .env("GREENPOINTS_GRAPH_DB", &database)
                .env("GREENPOINTS_GRAPH_PASSWORD", password())
                .env("RUST_LOG", "warn")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("run greenpoints");
            child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
            let output = child.wait_with_output().unwrap();
            (output.status.success(), String::from_utf8_lossy(&output.stderr).to_string())
        })
        .await
        .unwrap()
    }
}

#[tokio::test]
async fn a_key_reads_only_what_its_scopes_name_and_an_orders_key_reads_no_member_s_income() {
    let app = spawn_app().await;
    app.member(ROOT, None).await;
    app.member(A, Some(ROOT)).await;
    app.order("o-1", A, "3000.00", &at(2, "10:00")).await;
    app.settle(&day(1)).await;
    let statements = app.get(&format!("/api/v1/members/{ROOT}/statements")).await;
    let date = statements.body["items"][0]["date"].as_str().expect("a statement of the root").to_string();

    let orders_only = app.create_key(&[Scope::OrdersWrite]).await;
    let refused = app.call_with(Some(&orders_only), Method::GET, &format!("/api/v1/members/{ROOT}/statements"), None).await;
    assert_eq!((refused.status, refused.code()), (403, "forbidden"), "an orders:write key reads no member's income");
    assert!(refused.body["error"]["message"].as_str().unwrap().contains("members:read"), "{}", refused.body);

    use Scope::*;
    let reads: [(String, &[Scope]); 8] = [
        (format!("/api/v1/members/{A}"), &[MembersRead]),
        (format!("/api/v1/members/{ROOT}/downline"), &[MembersRead]),
        (format!("/api/v1/members/{ROOT}/statements"), &[MembersRead]),
        (format!("/api/v1/members/{ROOT}/statements/{date}"), &[MembersRead]),
        ("/api/v1/orders/o-1".into(), &[OrdersWrite]),
        (format!("/api/v1/settlements/{}", day(1)), &[PayoutsRead, SettlementsWrite]),
        (format!("/api/v1/settlements/{}/payouts", day(1)), &[PayoutsRead]),
        ("/api/v1/withdrawals".into(), &[PayoutsRead]),
    ];
    for scope in Scope::ALL {
        let key = app.create_key(&[scope]).await;
        for (path, allowed) in &reads {
            let answer = app.call_with(Some(&key), Method::GET, path, None).await;
            if scope == Admin || allowed.contains(&scope) {
                assert_eq!(answer.status, 200, "a {scope} key reads {path}: {}", answer.body);
            } else {
                assert_eq!((answer.status, answer.code()), (403, "forbidden"), "a {scope} key may not read {path}");
            }
        }
        // The scope is checked before the input: a refused key learns nothing from a bad path.
        let malformed = app.call_with(Some(&key), Method::GET, "/api/v1/members/not-a-phone", None).await;
        let expected = if matches!(scope, MembersRead | Admin) { 400 } else { 403 };
        assert_eq!(malformed.status, expected, "{scope}");
    }
}

#[tokio::test]
async fn asking_for_a_withdrawal_needs_members_write_and_deciding_it_needs_payouts_write() {
    let app = spawn_app().await;
    app.member(A, None).await;
    let added = app.post(&format!("/api/v1/members/{A}/adjustments"), json!({"amount": "500.00", "reason": "test"})).await;
    assert_eq!(added.status, 201, "{}", added.body);
    let payouts = app.create_key(&[Scope::PayoutsWrite]).await;
    let members = app.create_key(&[Scope::MembersWrite]).await;
    let body = |key: &str| json!({"phone": A, "amount": "200.00", "idempotency_key": key});

    let refused = app.call_with(Some(&payouts), Method::POST, "/api/v1/withdrawals", Some(body("w-1"))).await;
    assert_eq!((refused.status, refused.code()), (403, "forbidden"), "a payouts:write key may not ask: {}", refused.body);
    assert_eq!(app.summary(A).await["frozen"], "0.00", "nothing was frozen");

    let asked = app.call_with(Some(&members), Method::POST, "/api/v1/withdrawals", Some(body("w-1"))).await;
    assert_eq!(asked.status, 201, "the mall asks for its member: {}", asked.body);
    let id = asked.body["id"].as_str().unwrap().to_string();
    for decision in ["approve", "reject", "paid"] {
        let refused = app.call_with(Some(&members), Method::POST, &format!("/api/v1/withdrawals/{id}/{decision}"), None).await;
        assert_eq!((refused.status, refused.code()), (403, "forbidden"), "a members:write key may not {decision}");
    }
    let approved = app.call_with(Some(&payouts), Method::POST, &format!("/api/v1/withdrawals/{id}/approve"), None).await;
    assert_eq!((approved.status, approved.body["status"].as_str()), (200, Some("approved")), "{}", approved.body);
    let paid = app.call_with(Some(&payouts), Method::POST, &format!("/api/v1/withdrawals/{id}/paid"), None).await;
    assert_eq!((paid.status, paid.body["status"].as_str()), (200, Some("paid")), "{}", paid.body);
    app.assert_verified().await;
}

#[tokio::test]
async fn the_bearer_scheme_is_read_in_any_case() {
    let app = spawn_app().await;
    for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
        let answer = app
            .client
            .get(format!("{}/api/v1/params", app.address))
            .header("Authorization", format!("{scheme} {}", app.key))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200, "{scheme}");
    }
    let basic = app.client.get(format!("{}/api/v1/params", app.address)).header("Authorization", format!("Basic {}", app.key)).send().await;
    assert_eq!(basic.unwrap().status(), 401, "another scheme is no bearer key");
}

#[tokio::test]
async fn the_openapi_document_names_the_scope_of_every_read_and_its_403() {
    let app = spawn_app().await;
    let document = app.call_with(None, Method::GET, "/api/v1/openapi.json", None).await.body;
    for (path, method, scopes) in [
        ("/members/{phone}", "get", &["members:read"][..]),
        ("/members/{phone}/downline", "get", &["members:read"]),
        ("/members/{phone}/statements", "get", &["members:read"]),
        ("/members/{phone}/statements/{date}", "get", &["members:read"]),
        ("/orders/{order_id}", "get", &["orders:write"]),
        ("/settlements/{date}", "get", &["payouts:read", "settlements:write"]),
        ("/withdrawals", "post", &["members:write"]),
        ("/withdrawals/{id}/approve", "post", &["payouts:write"]),
        ("/members/{phone}/payout-account", "get", &["members:read"]),
        ("/members/{phone}/payout-account", "put", &["members:write"]),
    ] {
        let operation = &document["paths"][path][method];
        let named: Vec<&str> = operation["security"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["bearer"].as_array().unwrap())
            .map(|s| s.as_str().unwrap())
            .collect();
        assert_eq!(named, scopes, "{method} {path}");
        assert!(operation["responses"]["403"].is_object(), "{method} {path} documents its 403");
    }
    app.admin("owner", PASSWORD).await;
    let page = Console::login(&app, "owner").await.get("/admin/api-keys").await.body;
    assert!(page.contains(r#"value="members:read""#), "the console offers the new scope");
}
