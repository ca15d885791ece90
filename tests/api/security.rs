//! The findings of the attack on the running server (OWASP ASVS level 2), one test each: forged
//! client addresses, login budgets, open redirects, the SMS sender, headers, cookies, origins,
//! weak passwords, paging overflow, big forms, hidden characters in names, per-member keys.
use std::process::{Command, Stdio};
use std::time::Duration;

use base64::Engine;
use greenpoints::app::Settings;
use greenpoints::domain::client_address::TrustedProxies;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use crate::pages_client::{Http, Reply, client_builder, input_value};

const ROOT: &str = "13800000000";
const A: &str = "13800000001";
const B: &str = "13800000002";
const PASSWORD: &str = "correct horse battery";
const ADMIN: &str = "ops";

/// Behind a proxy on loopback: `X-Forwarded-For` names the client.
async fn app_behind_proxy() -> TestApp {
    spawn_app_with(Settings { trusted_proxies: TrustedProxies::parse("127.0.0.1").unwrap(), ..Default::default() }).await
}

async fn with_members(app: TestApp) -> TestApp {
    app.member(ROOT, None).await;
    for phone in [A, B] {
        let created = app.post("/api/v1/members", json!({"phone": phone, "sponsor_phone": ROOT, "password": PASSWORD})).await;
        assert_eq!(created.status, 201, "{}", created.body);
    }
    app.admin(ADMIN, PASSWORD).await;
    app
}

/// A member login through the API, from `forwarded_for` when given.
async fn member_login(app: &TestApp, phone: &str, password: &str, forwarded_for: Option<&str>) -> u16 {
    let mut request = app.client.post(format!("{}/api/v1/auth/login", app.address)).json(&json!({"phone": phone, "password": password}));
    if let Some(address) = forwarded_for {
        request = request.header("x-forwarded-for", address);
    }
    request.send().await.unwrap().status().as_u16()
}

/// An admin login through the console's form, from `forwarded_for` when given.
async fn admin_login(app: &TestApp, username: &str, password: &str, forwarded_for: Option<&str>) -> Reply {
    let client = client_builder().build().unwrap();
    let form = Reply::of(client.get(format!("{}/admin/login", app.address))).await;
    let token = form.cookie("gp_login").expect("the login form's token");
    let fields = [("csrf", token.as_str()), ("next", "/admin"), ("username", username), ("password", password)];
    let mut request = client.post(format!("{}/admin/login", app.address)).header("cookie", format!("gp_login={token}")).form(&fields);
    if let Some(address) = forwarded_for {
        request = request.header("x-forwarded-for", address);
    }
    Reply::of(request).await
}

// ---------- H1: the client address, and login budgets ----------

#[tokio::test]
async fn a_client_that_forges_x_forwarded_for_stays_within_its_own_address_s_budget() {
    let app = with_members(spawn_app().await).await;
    // Password spraying: one wrong password for each of many phones, a new forged address each time.
    let mut statuses = Vec::new();
    for n in 0..22 {
        let phone = format!("139{n:08}");
        statuses.push(member_login(&app, &phone, "not the password", Some(&format!("198.51.100.{n}"))).await);
    }
    assert_eq!(&statuses[..20], &[401; 20], "20 failures from one address");
    assert_eq!(&statuses[20..], &[429, 429], "then the address is held back, whatever it claims: {statuses:?}");
    // Nor does the audit log believe a forged address.
    assert_eq!(admin_login(&app, ADMIN, PASSWORD, Some("198.51.100.99")).await.status, 303);
    let audit = greenpoints::graph::audit::list(&app.graph, None, 100).await.unwrap();
    let entry = audit.iter().find(|entry| entry.action == "admin.login").expect("the login is audited");
    let client = greenpoints::domain::audit::Detail::parse(&entry.detail).and_then(|d| d.client);
    assert_eq!(client.as_deref(), Some("127.0.0.1"), "the peer, not what it claimed");
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_address_is_the_client_and_is_recorded() {
    let app = with_members(app_behind_proxy().await).await;
    let login = admin_login(&app, ADMIN, PASSWORD, Some("6.6.6.6, 198.51.100.7")).await;
    assert_eq!(login.status, 303, "{}", login.body);
    let audit = greenpoints::graph::audit::list(&app.graph, None, 100).await.unwrap();
    let entry = audit.iter().find(|entry| entry.action == "admin.login").expect("the login is audited");
    let client = greenpoints::domain::audit::Detail::parse(&entry.detail).and_then(|d| d.client);
    assert_eq!(client.as_deref(), Some("198.51.100.7"), "the rightmost address the proxy did not write itself");
}

#[tokio::test]
async fn good_logins_never_use_up_a_budget() {
    let app = with_members(spawn_app().await).await;
    for attempt in 0..25 {
        assert_eq!(member_login(&app, A, PASSWORD, None).await, 200, "good login {attempt}");
    }
    for attempt in 0..12 {
        assert_eq!(admin_login(&app, ADMIN, PASSWORD, None).await.status, 303, "good admin login {attempt}");
    }
    // Two wrong among the good ones do not add up to a lock-out either.
    assert_eq!(admin_login(&app, ADMIN, "wrong password 1", None).await.status, 401);
    assert_eq!(admin_login(&app, ADMIN, "wrong password 2", None).await.status, 401);
    assert_eq!(admin_login(&app, ADMIN, PASSWORD, None).await.status, 303);
}

#[tokio::test]
async fn someone_failing_from_elsewhere_does_not_lock_the_owner_out() {
    let app = with_members(app_behind_proxy().await).await;
    let attacker = "203.0.113.66";
    let statuses: Vec<u16> = {
        let mut all = Vec::new();
        for _ in 0..8 {
            all.push(member_login(&app, A, "not the password", Some(attacker)).await);
        }
        all
    };
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429, 429, 429], "five failures, then the attacker waits");
    assert_eq!(member_login(&app, A, PASSWORD, Some(attacker)).await, 429, "from the attacker's address, even the password waits");
    assert_eq!(member_login(&app, A, PASSWORD, Some("198.51.100.20")).await, 200, "the owner, from home, logs in");
    for _ in 0..8 {
        admin_login(&app, ADMIN, "not the password", Some(attacker)).await;
    }
    assert_eq!(admin_login(&app, ADMIN, PASSWORD, Some("198.51.100.21")).await.status, 303, "so does the operator");
}

#[tokio::test]
async fn the_console_and_the_portal_keep_their_own_budgets_per_address() {
    let app = with_members(spawn_app().await).await;
    // 20 failed admin logins, each on another username: the address's console budget is spent.
    for n in 0..20 {
        assert_eq!(admin_login(&app, &format!("nobody{n}"), "not the password", None).await.status, 401);
    }
    assert_eq!(admin_login(&app, "nobody-else", "not the password", None).await.status, 429);
    assert_eq!(member_login(&app, A, PASSWORD, None).await, 200, "the portal's budget is another");
}

// ---------- M1: redirects ----------

#[tokio::test]
async fn redirect_targets_off_the_site_or_with_control_characters_are_refused() {
    let app = spawn_app().await;
    let http = Http::new(&app);
    for back in
        ["%2F%09%2Fevil.com", "%2F%0D%0ALocation:%20https://evil.com", "https://evil.com", "%2F%2Fevil.com", "%2F%5Cevil.com", "%2F%20x"]
    {
        let answer = http.get(&format!("/lang/en?back={back}"), &[]).await;
        assert_eq!(answer.status, 400, "back={back}: {}", answer.body);
        assert!(answer.location.is_empty(), "back={back} goes nowhere");
        assert!(answer.body.contains("<html"), "an error page");
    }
    let answer = http.get("/lang/en?back=%2Fadmin%2Fmembers%3Fq%3D1", &[]).await;
    assert_eq!((answer.status, answer.location.as_str()), (303, "/admin/members?q=1"), "a path of the site is fine");

    assert_eq!(http.get("/admin/login?next=%2F%09%2Fevil.com", &[]).await.status, 400);
    assert_eq!(http.get("/login?next=%2F%09%2Fevil.com", &[]).await.status, 400);
    app.admin(ADMIN, PASSWORD).await;
    let form = http.get("/admin/login", &[]).await;
    let token = form.cookie("gp_login").unwrap();
    let fields = [("csrf", token.as_str()), ("next", "/\t/evil.com"), ("username", ADMIN), ("password", PASSWORD)];
    let login = http.post("/admin/login", &[("gp_login", &token)], &fields).await;
    assert_eq!(login.status, 400, "a login asked to go elsewhere is refused: {}", login.location);
    assert!(login.cookie("gp_admin").is_none(), "and opens no session");
}

// ---------- M4: the SMS sender ----------

fn serve_command(app: &TestApp) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_greenpoints"));
    command
        .arg("serve")
        .env("GREENPOINTS_GRAPH_URI", std::env::var("GREENPOINTS_GRAPH_URI").unwrap_or_else(|_| "bolt://127.0.0.1:7687".into()))
        .env("GREENPOINTS_GRAPH_DB", &*app.database)
        .env("GREENPOINTS_GRAPH_PASSWORD", crate::helpers::password())
        .env("GREENPOINTS_BIND", "127.0.0.1:0")
        .env("GREENPOINTS_AUTO_SETTLE", "false")
        .env_remove("GREENPOINTS_SMS")
        .env_remove("GREENPOINTS_SMS_WEBHOOK_URL")
        .env_remove("GREENPOINTS_SMS_WEBHOOK_SECRET")
        .env("GREENPOINTS_PAYOUT_KEY", "ab".repeat(32))
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// Runs `serve` until it exits or 20 seconds pass; `None` when it was still serving.
fn serve_exit(mut command: Command) -> Option<String> {
    let mut child = command.spawn().unwrap();
    let started = std::time::Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        if let Some(status) = child.try_wait().unwrap() {
            let mut error = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut error).unwrap();
            assert!(!status.success(), "serve exits only on a refusal");
            return Some(error);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    None
}

#[tokio::test]
async fn serve_refuses_to_start_without_a_real_sms_sender_unless_the_outbox_is_asked_for_and_without_a_payout_key() {
    let app = spawn_app().await;
    let refused = tokio::task::spawn_blocking({
        let (plain, secret_only, url_only, outbox) = (serve_command(&app), serve_command(&app), serve_command(&app), serve_command(&app));
        let (mut no_key, mut short_key) = (serve_command(&app), serve_command(&app));
        no_key.env("GREENPOINTS_SMS", "outbox").env_remove("GREENPOINTS_PAYOUT_KEY");
        short_key.env("GREENPOINTS_SMS", "outbox").env("GREENPOINTS_PAYOUT_KEY", "ab".repeat(16));
        move || {
            let no_key = serve_exit(no_key);
            assert!(no_key.as_deref().is_some_and(|e| e.contains("GREENPOINTS_PAYOUT_KEY is not set")), "no payout key: {no_key:?}");
            let short_key = serve_exit(short_key);
            assert!(short_key.as_deref().is_some_and(|e| e.contains("64 hexadecimal digits")), "a short payout key: {short_key:?}");
            let mut secret_only = secret_only;
            secret_only.env("GREENPOINTS_SMS_WEBHOOK_SECRET", "a secret of some length");
            let mut url_only = url_only;
            url_only.env("GREENPOINTS_SMS_WEBHOOK_URL", "http://127.0.0.1:9/sms");
            let mut outbox = outbox;
            outbox.env("GREENPOINTS_SMS", "outbox");
            [serve_exit(plain), serve_exit(secret_only), serve_exit(url_only), serve_exit(outbox)]
        }
    })
    .await
    .unwrap();
    let [plain, secret_only, url_only, outbox] = refused;
    assert!(plain.as_deref().is_some_and(|e| e.contains("GREENPOINTS_SMS=outbox")), "no sender: {plain:?}");
    assert!(secret_only.as_deref().is_some_and(|e| e.contains("without GREENPOINTS_SMS_WEBHOOK_URL")), "{secret_only:?}");
    assert!(url_only.as_deref().is_some_and(|e| e.contains("needs GREENPOINTS_SMS_WEBHOOK_SECRET")), "{url_only:?}");
    assert_eq!(outbox, None, "the outbox, asked for by name, serves");
}

// ---------- headers, cookies, origins ----------

#[tokio::test]
async fn every_answer_carries_the_security_headers_and_personal_json_is_not_stored() {
    let app = with_members(spawn_app().await).await;
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let login =
        client.post(format!("{}/api/v1/auth/login", app.address)).json(&json!({"phone": A, "password": PASSWORD})).send().await.unwrap();
    assert_eq!(login.status(), 200);
    for path in ["/api/v1/me", "/api/v1/me/statements", "/login", "/admin/login", "/api/v1/members/13800000001", "/no-such-page"] {
        let answer = client.get(format!("{}{path}", app.address)).send().await.unwrap();
        let header = |name: &str| answer.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        assert!(header("content-security-policy").contains("default-src 'self'"), "{path}");
        assert!(header("content-security-policy").contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header("referrer-policy"), "same-origin", "{path}");
        assert_eq!(header("cache-control"), "no-store", "{path}");
    }
    let stylesheet = client.get(format!("{}/static/app.css", app.address)).send().await.unwrap();
    assert!(stylesheet.headers()["cache-control"].to_str().unwrap().contains("max-age"), "the stylesheet may be cached");
}

#[tokio::test]
async fn behind_https_cookies_are_host_only_and_secure_and_an_unprefixed_cookie_is_ignored() {
    let app =
        with_members(spawn_app_with(Settings { public_url: Some("https://jifen.example.com".into()), ..Default::default() }).await).await;
    let http = Http::new(&app);
    let login = http.api("/auth/login", &[], json!({"phone": A, "password": PASSWORD})).await;
    assert_eq!(login.status, 200);
    assert!(login.set_cookie("gp_member").is_none(), "{:?}", login.set_cookies);
    let line = login.set_cookie("__Host-gp_member").expect("the session cookie has the __Host- prefix");
    assert!(
        line.contains("; Secure") && line.contains("HttpOnly") && line.contains("SameSite=Strict") && line.contains("Path=/"),
        "{line}"
    );
    assert!(!line.contains("Domain="), "{line}");
    let session = login.cookie("__Host-gp_member").unwrap();
    let me = |cookie: &'static str| {
        let (client, url, session) = (reqwest::Client::new(), format!("{}/api/v1/me", app.address), session.clone());
        async move { client.get(url).header("cookie", format!("{cookie}={session}")).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(me("__Host-gp_member").await, 200, "the prefixed cookie opens the session");
    assert_eq!(me("gp_member").await, 401, "a cookie without the prefix (a sibling host may have set it) is not read");
}

#[tokio::test]
async fn a_form_posted_from_another_site_s_page_is_refused_before_it_is_read() {
    let app = with_members(spawn_app().await).await;
    let client = client_builder().build().unwrap();
    let form = Reply::of(client.get(format!("{}/admin/login", app.address))).await;
    let token = form.cookie("gp_login").unwrap();
    let fields = [("csrf", token.as_str()), ("next", "/admin"), ("username", ADMIN), ("password", PASSWORD)];
    let post = |origin: Option<String>, site: Option<&'static str>| {
        let mut request = client.post(format!("{}/admin/login", app.address)).header("cookie", format!("gp_login={token}")).form(&fields);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        if let Some(site) = site {
            request = request.header("sec-fetch-site", site);
        }
        Reply::of(request)
    };
    let evil = post(Some("https://evil.example".into()), None).await;
    assert_eq!(evil.status, 403, "{}", evil.body);
    assert!(evil.cookie("gp_admin").is_none());
    assert_eq!(post(Some("null".into()), None).await.status, 403);
    assert_eq!(post(None, Some("cross-site")).await.status, 403);
    let api = app.client.post(format!("{}/api/v1/auth/login", app.address)).header("origin", "https://evil.example");
    let api = api.json(&json!({"phone": A, "password": PASSWORD})).send().await.unwrap();
    assert_eq!(api.status(), 403, "the API's cookie login too");
    let own = post(Some(app.address.clone()), Some("same-origin")).await;
    assert_eq!(own.status, 303, "the site's own page logs in: {}", own.body);
}

// ---------- passwords, names, keys, paging, forms ----------

#[tokio::test]
async fn weak_passwords_and_the_phone_itself_are_refused_when_a_password_is_set() {
    let app = spawn_app().await;
    app.member(ROOT, None).await;
    for weak in ["12345678", "password", "password1", "13800000001", "qwertyuiop"] {
        let answer = app.post("/api/v1/members", json!({"phone": A, "sponsor_phone": ROOT, "password": weak})).await;
        assert_eq!((answer.status, answer.code()), (422, "weak_password"), "{weak}: {}", answer.body);
    }
    assert_eq!(app.get("/api/v1/members/13800000001").await.status, 404, "nothing was created");
    let strong = app.post("/api/v1/members", json!({"phone": A, "sponsor_phone": ROOT, "password": PASSWORD})).await;
    assert_eq!(strong.status, 201);
}

#[tokio::test]
async fn names_with_control_or_bidi_characters_are_refused() {
    let app = spawn_app().await;
    app.member(ROOT, None).await;
    for name in ["张三\u{202E}1234", "a\u{200B}b", "line\nbreak", "\u{1B}[31mred"] {
        let answer = app.post("/api/v1/members", json!({"phone": A, "sponsor_phone": ROOT, "name": name})).await;
        assert_eq!((answer.status, answer.code()), (400, "invalid_name"), "{name:?}: {}", answer.body);
    }
    assert_eq!(app.post("/api/v1/members", json!({"phone": A, "sponsor_phone": ROOT, "name": "王小明"})).await.status, 201);
}

#[tokio::test]
async fn withdrawal_idempotency_keys_are_each_member_s_own() {
    let app = with_members(spawn_app().await).await;
    for phone in [A, B] {
        let adjusted = app.post(&format!("/api/v1/members/{phone}/adjustments"), json!({"amount": "500.00", "reason": "test"})).await;
        assert_eq!(adjusted.status, 201, "{}", adjusted.body);
    }
    let ask =
        |phone: &'static str| app.post("/api/v1/withdrawals", json!({"phone": phone, "amount": "200.00", "idempotency_key": "next-1"}));
    let first = ask(A).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let other = ask(B).await;
    assert_eq!(other.status, 201, "another member's same key is another request: {}", other.body);
    assert_ne!(first.body["id"], other.body["id"]);
    let replay = ask(A).await;
    assert_eq!((replay.status, &replay.body["id"]), (201, &first.body["id"]), "the member's own replay answers the first answer");
    assert_eq!(app.summary(B).await["frozen"], "200.00");
}

#[tokio::test]
async fn a_team_cursor_past_any_team_is_refused_not_overflowed() {
    let app = with_members(spawn_app().await).await;
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let login = client.post(format!("{}/api/v1/auth/login", app.address)).json(&json!({"phone": A, "password": PASSWORD}));
    assert_eq!(login.send().await.unwrap().status(), 200);
    for position in [i64::MAX, i64::MAX - 10, 1_000_000_001] {
        let cursor = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(&json!(position)).unwrap());
        let answer = client.get(format!("{}/api/v1/me/team?cursor={cursor}", app.address)).send().await.unwrap();
        let status = answer.status().as_u16();
        let body: Value = answer.json().await.unwrap_or(Value::Null);
        assert_eq!((status, body["error"]["code"].as_str()), (400, Some("invalid_cursor")), "position {position}");
    }
}

#[tokio::test]
async fn a_form_too_large_answers_413_on_an_error_page() {
    let app = with_members(spawn_app().await).await;
    let http = Http::new(&app);
    let big = "x".repeat(300 * 1024);
    let login = http.post("/admin/login", &[], &[("username", big.as_str())]).await;
    assert_eq!(login.status, 413, "{}", &login.body[..login.body.len().min(200)]);
    assert!(login.body.contains("<html"), "an error page, not JSON");
    // A signed-in form too.
    let form = admin_login(&app, ADMIN, PASSWORD, None).await;
    let session = form.cookie("gp_admin").unwrap();
    let page = http.get("/admin/members", &[("gp_admin", &session)]).await;
    let csrf = input_value(&page.body, "csrf").unwrap();
    let adjust = http.post(&format!("/admin/members/{A}/adjust"), &[("gp_admin", &session)], &[("csrf", &csrf), ("reason", &big)]).await;
    assert_eq!(adjust.status, 413, "{}", &adjust.body[..adjust.body.len().min(200)]);
}

#[tokio::test]
async fn a_page_s_query_that_does_not_read_answers_an_error_page_not_json() {
    let app = with_members(spawn_app().await).await;
    let http = Http::new(&app);
    let form = admin_login(&app, ADMIN, PASSWORD, None).await;
    let session = form.cookie("gp_admin").unwrap();
    let answer = http.get(&format!("/admin/settlements/{}?page=-1", crate::helpers::day(1)), &[("gp_admin", &session)]).await;
    assert_eq!(answer.status, 400);
    assert!(answer.body.contains("<html") && !answer.body.starts_with('{'), "{}", answer.body);
}

#[tokio::test]
async fn the_access_log_names_routes_and_addresses_never_a_member_s_phone() {
    let app = spawn_app().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let log = std::env::temp_dir().join(format!("greenpoints-access-{}.log", uuid::Uuid::new_v4().simple()));
    let mut command = serve_command(&app);
    command
        .env("GREENPOINTS_SMS", "outbox")
        .env("GREENPOINTS_BIND", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "info")
        .stderr(std::fs::File::create(&log).unwrap());
    let mut server = command.spawn().unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let started = std::time::Instant::now();
    while app.client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(60), "the server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for path in ["/api/v1/members/13812345678", "/admin/members/13812345678", "/api/v1/members/13812345678/statements?from=2026-01-01"] {
        let answer =
            client_builder().build().unwrap().get(format!("{base}{path}")).header("x-forwarded-for", "198.51.100.5").send().await.unwrap();
        assert!(answer.status().is_client_error() || answer.status().is_redirection(), "{path}");
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    server.kill().unwrap();
    server.wait().unwrap();
    let written = std::fs::read_to_string(&log).unwrap();
    std::fs::remove_file(&log).ok();
    assert!(written.contains("GET /api/v1/members/{phone}"), "the route pattern is logged: {written}");
    assert!(!written.contains("13812345678"), "no phone in any log line: {written}");
    assert!(!written.contains("198.51.100.5"), "nor an address a client claimed: {written}");
}

#[tokio::test]
async fn an_address_no_page_has_answers_the_styled_error_page_in_the_reader_s_language_with_a_way_home() {
    let app = spawn_app().await;
    let http = Http::new(&app);
    let member_side = http.get("/no-such-page", &[]).await;
    assert_eq!(member_side.status, 404);
    assert!(
        member_side.body.contains("<html") && member_side.body.contains("页面不存在") && member_side.body.contains("/app.css"),
        "{}",
        member_side.body
    );
    assert!(member_side.body.contains("href=\"/\""), "links to the portal's home: {}", member_side.body);
    let console_side = http.get("/admin/no-such-page", &[("gp_lang", "en")]).await;
    assert_eq!(console_side.status, 404);
    assert!(console_side.body.contains("No such page") && !console_side.body.contains("页面不存在"), "{}", console_side.body);
    assert!(console_side.body.contains("href=\"/admin\""), "links to the console's home: {}", console_side.body);
    let api = app.get("/api/v1/no-such-endpoint").await;
    assert_eq!((api.status, api.code()), (404, "not_found"), "the API still answers its error body");
}
