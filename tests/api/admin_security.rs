//! The admin console's defences over plain HTTP: every state-changing form needs the session's
//! CSRF token, a logged-out client is sent to the login page, a member's session opens nothing of
//! the console, the session cookie is `HttpOnly; SameSite=Strict` and new at every login, logout
//! ends the session, and the login form itself needs its double-submit token.
use chrono::Utc;
use greenpoints::http::session::{self, Kind};

use crate::helpers::{TestApp, spawn_app};
use crate::pages_client::{Http, Reply, input_value};

const ADMIN: &str = "admin";
const PASSWORD: &str = "correct horse battery";
const A: &str = "13800000001";

impl Reply {
    /// Whether this reply sends the reader to the console's login page.
    fn is_login_redirect(&self) -> bool {
        self.status == 303 && self.location.starts_with("/admin/login")
    }
}

/// The console's login, as a browser goes through it.
trait ConsoleLogin {
    async fn login(&self, username: &str, password: &str) -> Reply;
    async fn session(&self) -> String;
    async fn csrf(&self, admin_cookie: &str) -> String;
}

impl ConsoleLogin for Http {
    /// Logs in through the login form as a browser would (the token from its cookie and its
    /// hidden field); returns the login's reply, which sets `gp_admin`.
    async fn login(&self, username: &str, password: &str) -> Reply {
        let form = self.get("/admin/login", &[]).await;
        assert_eq!(form.status, 200);
        let token = form.cookie("gp_login").expect("the login form sets its token cookie");
        assert_eq!(input_value(&form.body, "csrf").as_deref(), Some(token.as_str()), "the form carries the same token");
        let cookies = [("gp_login", token.as_str())];
        let fields = [("csrf", token.as_str()), ("next", "/admin"), ("username", username), ("password", password)];
        self.post("/admin/login", &cookies, &fields).await
    }

    /// Logs in and returns the session cookie's value.
    async fn session(&self) -> String {
        let login = self.login(ADMIN, PASSWORD).await;
        assert_eq!((login.status, login.location.as_str()), (303, "/admin"), "the login succeeds: {}", login.body);
        login.cookie("gp_admin").expect("the login sets the session cookie")
    }

    /// The CSRF token of a session, read off a page's forms (the logout form in the header).
    async fn csrf(&self, admin_cookie: &str) -> String {
        let page = self.get("/admin", &[("gp_admin", admin_cookie)]).await;
        assert_eq!(page.status, 200, "the session opens the dashboard");
        input_value(&page.body, "csrf").expect("the page's forms carry the CSRF token")
    }
}

async fn app_with_member() -> TestApp {
    let app = spawn_app().await;
    app.admin(ADMIN, PASSWORD).await;
    app.member(A, None).await;
    let added = app.post(&format!("/api/v1/members/{A}/adjustments"), serde_json::json!({"amount": "100.00", "reason": "test"})).await;
    assert_eq!(added.status, 201, "{}", added.body);
    app
}

async fn available(app: &TestApp) -> String {
    app.summary(A).await["available"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn an_admin_form_posted_without_the_session_csrf_token_is_forbidden_and_changes_nothing() {
    let app = app_with_member().await;
    let http = Http::new(&app);
    let cookie = http.session().await;
    let csrf = http.csrf(&cookie).await;
    let adjust = format!("/admin/members/{A}/adjust");
    let cookies = [("gp_admin", cookie.as_str())];

    let without = http.post(&adjust, &cookies, &[("amount", "5.00"), ("reason", "no token")]).await;
    assert_eq!(without.status, 403, "no token: {}", without.body);
    let wrong = http.post(&adjust, &cookies, &[("csrf", &"0".repeat(64)), ("amount", "5.00"), ("reason", "a wrong token")]).await;
    assert_eq!(wrong.status, 403, "a wrong token");
    let empty = http.post(&adjust, &cookies, &[("csrf", ""), ("amount", "5.00"), ("reason", "an empty token")]).await;
    assert_eq!(empty.status, 403, "an empty token");
    let other_session = Http::new(&app).session().await;
    let others = http.csrf(&other_session).await;
    assert_ne!(others, csrf, "each session has its own token");
    let foreign = http.post(&adjust, &cookies, &[("csrf", &others), ("amount", "5.00"), ("reason", "another session's token")]).await;
    assert_eq!(foreign.status, 403, "another session's token");
    assert_eq!(available(&app).await, "100.00", "nothing was adjusted");

    // The same form with the session's own token does go through: the refusals above were the token's.
    let done = http.post(&adjust, &cookies, &[("csrf", &csrf), ("amount", "5.00"), ("reason", "with the token")]).await;
    assert_eq!(done.status, 303, "with the token the form is accepted: {}", done.body);
    assert_eq!(available(&app).await, "105.00");
}

#[tokio::test]
async fn an_admin_form_posted_by_a_logged_out_client_is_sent_to_the_login_page_and_changes_nothing() {
    let app = app_with_member().await;
    let http = Http::new(&app);
    let cookie = http.session().await;
    // Even with a live session's token in the form: without the session cookie it is nobody's.
    let csrf = http.csrf(&cookie).await;
    let fields = [("csrf", csrf.as_str()), ("amount", "5.00"), ("reason", "logged out")];

    let anonymous = http.post(&format!("/admin/members/{A}/adjust"), &[], &fields).await;
    assert!(anonymous.is_login_redirect(), "{} {}", anonymous.status, anonymous.location);
    let made_up = http.post(&format!("/admin/members/{A}/adjust"), &[("gp_admin", &"a".repeat(64))], &fields).await;
    assert!(made_up.is_login_redirect(), "a made-up session cookie: {} {}", made_up.status, made_up.location);
    let sponsor = http.post(&format!("/admin/members/{A}/sponsor"), &[], &[("csrf", &csrf), ("sponsor_phone", A)]).await;
    assert!(sponsor.is_login_redirect(), "{} {}", sponsor.status, sponsor.location);
    let settle = http.post("/admin/settlements/run", &[], &[("csrf", &csrf), ("date", &crate::helpers::day(1))]).await;
    assert!(settle.is_login_redirect(), "{} {}", settle.status, settle.location);
    assert_eq!(available(&app).await, "100.00", "nothing was adjusted");
    assert_eq!(app.get(&format!("/api/v1/settlements/{}", crate::helpers::day(1))).await.status, 404, "nothing was settled");
}

#[tokio::test]
async fn a_member_session_opens_no_admin_page_under_either_cookie_name() {
    let app = app_with_member().await;
    let http = Http::new(&app);
    let member = session::open(&app.graph, Kind::Member, A, Utc::now()).await.unwrap();
    assert_eq!(member.name(), "gp_member");
    let admin = http.session().await;

    for page in ["/admin", "/admin/members", "/admin/settlements"] {
        let opened = http.get(page, &[("gp_admin", &admin)]).await;
        assert_eq!(opened.status, 200, "an admin's session opens {page}");
        for name in ["gp_member", "gp_admin"] {
            let refused = http.get(page, &[(name, member.value())]).await;
            assert!(refused.is_login_redirect(), "a member session as {name} on {page}: {} {}", refused.status, refused.location);
            assert!(!refused.body.contains(r#"name="csrf""#), "no form of the console leaks");
        }
    }
    // Nor the member's own phone as the subject of an admin-named session of the member kind.
    let both = http.get("/admin", &[("gp_member", member.value()), ("gp_admin", member.value())]).await;
    assert!(both.is_login_redirect());
}

#[tokio::test]
async fn the_session_cookie_is_http_only_same_site_strict_and_new_at_every_login() {
    let app = app_with_member().await;
    let http = Http::new(&app);

    let first = http.login(ADMIN, PASSWORD).await;
    assert_eq!(first.status, 303);
    let line = first.set_cookie("gp_admin").expect("the login sets the session cookie").to_ascii_lowercase();
    let attributes: Vec<&str> = line.split(';').map(str::trim).collect();
    assert!(attributes.contains(&"httponly"), "HttpOnly: {line}");
    assert!(attributes.contains(&"samesite=strict"), "SameSite=Strict: {line}");
    assert!(attributes.contains(&"path=/"), "the whole site: {line}");
    let first = first.cookie("gp_admin").unwrap();
    assert!(first.len() >= 32, "a long random value: {first}");

    let second = http.login(ADMIN, PASSWORD).await.cookie("gp_admin").unwrap();
    assert_ne!(first, second, "a new session at every login");
    // A session cookie planted before the login is not adopted by it.
    let form = http.get("/admin/login", &[]).await;
    let token = form.cookie("gp_login").unwrap();
    let fields = [("csrf", token.as_str()), ("next", "/admin"), ("username", ADMIN), ("password", PASSWORD)];
    let planted = http.post("/admin/login", &[("gp_login", &token), ("gp_admin", &second)], &fields).await;
    let third = planted.cookie("gp_admin").expect("the login sets its own session cookie");
    assert_ne!(third, second);
    for cookie in [&first, &second, &third] {
        assert_eq!(http.get("/admin", &[("gp_admin", cookie)]).await.status, 200, "each login is a live session of its own");
    }
}

#[tokio::test]
async fn logout_ends_the_session_and_its_cookie_no_longer_opens_the_console() {
    let app = app_with_member().await;
    let http = Http::new(&app);
    let cookie = http.session().await;
    let csrf = http.csrf(&cookie).await;
    let cookies = [("gp_admin", cookie.as_str())];

    let forged = http.post("/admin/logout", &cookies, &[("csrf", "forged")]).await;
    assert_eq!(forged.status, 403, "logging out is a form like any other");
    assert_eq!(http.get("/admin", &cookies).await.status, 200, "the refused logout ended nothing");

    let logout = http.post("/admin/logout", &cookies, &[("csrf", &csrf)]).await;
    assert_eq!((logout.status, logout.location.as_str()), (303, "/admin/login"));
    let cleared = logout.set_cookie("gp_admin").expect("the logout clears the cookie").to_ascii_lowercase();
    assert!(cleared.starts_with("gp_admin=;") && cleared.contains("max-age=0"), "{cleared}");

    let after = http.get("/admin", &cookies).await;
    assert!(after.is_login_redirect(), "the old cookie opens nothing: {} {}", after.status, after.location);
    let form = http.post(&format!("/admin/members/{A}/adjust"), &cookies, &[("csrf", &csrf), ("amount", "5.00"), ("reason", "x")]).await;
    assert!(form.is_login_redirect(), "nor posts a form: {} {}", form.status, form.location);
    assert_eq!(available(&app).await, "100.00");
}

#[tokio::test]
async fn a_login_posted_without_its_double_submit_token_is_forbidden() {
    let app = app_with_member().await;
    let http = Http::new(&app);
    let form = http.get("/admin/login", &[]).await;
    let token = form.cookie("gp_login").unwrap();
    let line = form.set_cookie("gp_login").unwrap().to_ascii_lowercase();
    assert!(line.contains("httponly") && line.contains("samesite=strict"), "{line}");
    let credentials = [("username", ADMIN), ("password", PASSWORD)];

    let neither = http.post("/admin/login", &[], &credentials).await;
    assert_eq!(neither.status, 403, "neither cookie nor field");
    let no_field = http.post("/admin/login", &[("gp_login", &token)], &credentials).await;
    assert_eq!(no_field.status, 403, "the cookie without the field");
    let mut field_only = credentials.to_vec();
    field_only.push(("csrf", &token));
    let no_cookie = http.post("/admin/login", &[], &field_only).await;
    assert_eq!(no_cookie.status, 403, "the field without the cookie");
    let other = "b".repeat(64);
    let mut mismatched = credentials.to_vec();
    mismatched.push(("csrf", &other));
    let disagree = http.post("/admin/login", &[("gp_login", &token)], &mismatched).await;
    assert_eq!(disagree.status, 403, "cookie and field disagree");
    let mut short_token = credentials.to_vec();
    short_token.push(("csrf", "x"));
    let short = http.post("/admin/login", &[("gp_login", "x")], &short_token).await;
    assert_eq!(short.status, 403, "a short token, even where cookie and field agree");
    for refused in [&neither, &no_field, &no_cookie, &disagree, &short] {
        assert!(refused.cookie("gp_admin").is_none(), "no session was opened");
    }
    let audit = greenpoints::graph::audit::list(&app.graph, None, 10).await.unwrap();
    assert!(audit.iter().all(|e| e.action != "admin.login"), "no login was recorded");

    let login = http.post("/admin/login", &[("gp_login", &token)], &field_only).await;
    assert_eq!(login.status, 303, "with the token the same login succeeds");
    assert!(login.cookie("gp_admin").is_some());
}

#[tokio::test]
async fn the_adjustment_form_posted_twice_adjusts_once() {
    let app = app_with_member().await;
    let http = Http::new(&app);
    let cookie = http.session().await;
    let csrf = http.csrf(&cookie).await;
    let cookies = [("gp_admin", cookie.as_str())];
    let page = http.get(&format!("/admin/members/{A}"), &cookies).await;
    let key = page.body.split("name=\"idempotency_key\" value=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("the form's key");
    let fields = [("csrf", csrf.as_str()), ("amount", "+5.00"), ("reason", "goodwill"), ("idempotency_key", key)];
    for _ in 0..2 {
        let posted = http.post(&format!("/admin/members/{A}/adjust"), &cookies, &fields).await;
        assert_eq!(posted.status, 303, "{}", posted.body);
    }
    assert_eq!(available(&app).await, "105.00", "100.00 and one adjustment of 5.00");
}
