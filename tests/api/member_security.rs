//! Member accounts and their defences: login (page and API) with answers that do not tell a
//! registered phone from an unknown one, throttling, sessions new at every login, registration
//! through an invitation link, SMS codes under SPEC §5's limits (6 digits, 10 minutes, one use,
//! 5 tries, one a minute and 10 a day per phone), password reset and change, CSRF on every form,
//! Argon2id hashes, no code in any log, and the webhook sender.
use std::io::Write;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use greenpoints::app::sms::{CodeError, Purpose, SIGNATURE_HEADER, SmsCodes, SmsSender, Webhook, hmac_sha256};
use greenpoints::domain::phone::Phone;
use greenpoints::graph::{audit, members, sms, sms_codes};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};
use crate::pages_client::{Http, Reply, input_value};

const ROOT: &str = "13800000000";
const A: &str = "13800000001";
const B: &str = "13800000002";
const UNKNOWN: &str = "13900000009";
const PASSWORD: &str = "correct horse battery";
const NEW_PASSWORD: &str = "a brand new password";

// ---------- plumbing ----------

/// The member portal's forms before login and its login, as a browser goes through them.
trait MemberLogin {
    async fn form_token(&self, path: &str) -> String;
    async fn post_public(&self, path: &str, form_page: &str, fields: &[(&str, &str)]) -> Reply;
    async fn login(&self, phone: &str, password: &str) -> Reply;
    async fn session(&self, phone: &str, password: &str) -> String;
    async fn csrf(&self, member_cookie: &str) -> String;
    async fn opens_portal(&self, member_cookie: &str) -> bool;
}

impl MemberLogin for Http {
    /// A page before login: its double-submit token (cookie and hidden field, which must agree).
    async fn form_token(&self, path: &str) -> String {
        let page = self.get(path, &[]).await;
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        let token = page.cookie("gp_member_form").expect("the form sets its token cookie");
        assert_eq!(input_value(&page.body, "csrf").as_deref(), Some(token.as_str()), "{path}: the form carries the same token");
        token
    }

    /// Posts a form before login the way a browser does: with its token in the cookie and the field.
    async fn post_public(&self, path: &str, form_page: &str, fields: &[(&str, &str)]) -> Reply {
        let token = self.form_token(form_page).await;
        let mut all = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post(path, &[("gp_member_form", &token)], &all).await
    }

    /// Logs in through the login page; returns the reply (a 303 setting `gp_member` when it worked).
    async fn login(&self, phone: &str, password: &str) -> Reply {
        self.post_public("/login", "/login", &[("next", "/"), ("phone", phone), ("password", password)]).await
    }

    /// Logs in through the page and returns the session cookie.
    async fn session(&self, phone: &str, password: &str) -> String {
        let login = self.login(phone, password).await;
        assert_eq!((login.status, login.location.as_str()), (303, "/"), "the login succeeds: {}", login.body);
        login.cookie("gp_member").expect("the login sets the session cookie")
    }

    /// The CSRF token of a member session, read off the password page's forms.
    async fn csrf(&self, member_cookie: &str) -> String {
        let page = self.get("/password", &[("gp_member", member_cookie)]).await;
        assert_eq!(page.status, 200, "the session opens the password page: {}", page.body);
        input_value(&page.body, "csrf").expect("the page's forms carry the CSRF token")
    }

    /// Whether a member cookie opens the member portal.
    async fn opens_portal(&self, member_cookie: &str) -> bool {
        self.get("/password", &[("gp_member", member_cookie)]).await.status == 200
    }
}

/// A scheme with a root and member A, who has a password.
async fn app_with_member() -> TestApp {
    let app = spawn_app().await;
    app.member(ROOT, None).await;
    let created = app.post("/api/v1/members", json!({"phone": A, "sponsor_phone": ROOT, "password": PASSWORD})).await;
    assert_eq!(created.status, 201, "{}", created.body);
    app
}

fn phone(text: &str) -> Phone {
    Phone::parse(text).unwrap()
}

async fn stored_hash(app: &TestApp, who: &str) -> Option<String> {
    members::password_hash(&app.graph, &phone(who)).await.unwrap().flatten()
}

async fn outbox_to(app: &TestApp, who: &str) -> Vec<sms::SmsRow> {
    sms::outbox(&app.graph, None, 1000).await.unwrap().into_iter().filter(|m| m.phone == who).collect()
}

/// The six digits of a message.
fn code_in(text: &str) -> String {
    let code = text.split(|c: char| !c.is_ascii_digit()).find(|run| run.len() == 6).expect("a 6-digit code in the message");
    code.to_string()
}

/// A page with its form token blanked, to compare two answers word for word.
fn without_token(body: &str) -> String {
    match input_value(body, "csrf") {
        Some(token) if !token.is_empty() => body.replace(&token, "TOKEN"),
        _ => body.to_string(),
    }
}

/// Waits (the sender works in the background) for the outbox to hold `count` messages to
/// `who`, and returns the code of the newest.
async fn nth_code(app: &TestApp, who: &str, count: usize) -> String {
    for _ in 0..100 {
        let messages = outbox_to(app, who).await;
        if messages.len() >= count {
            assert_eq!(messages.len(), count, "exactly {count} messages to {who}");
            return code_in(&messages[0].text);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no message {count} to {who} in the outbox");
}

/// Asks for a reset code over the API and returns it from the outbox (the `count`-th message).
async fn reset_code(app: &TestApp, http: &Http, who: &str, count: usize) -> String {
    let sent = http.api("/auth/sms-code", &[], json!({"phone": who, "purpose": "reset"})).await;
    assert_eq!(sent.status, 202, "{}", sent.body);
    nth_code(app, who, count).await
}

async fn reset(http: &Http, who: &str, code: &str, password: &str) -> Reply {
    http.api("/auth/reset-password", &[], json!({"phone": who, "code": code, "new_password": password})).await
}

async fn api_login(http: &Http, who: &str, password: &str) -> Reply {
    http.api("/auth/login", &[], json!({"phone": who, "password": password})).await
}

fn another_code(code: &str) -> String {
    format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000)
}

async fn audit_actions(app: &TestApp) -> Vec<(String, String, String)> {
    audit::list(&app.graph, None, 100).await.unwrap().into_iter().map(|e| (e.actor, e.action, e.target)).collect()
}

// ---------- the log capture ----------

/// Everything the process logs from the first use on (the server's events and the `log` records
/// of its libraries, at debug level and above), kept in memory for the tests to search.
#[derive(Clone)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
    type Writer = Capture;

    fn make_writer(&'a self) -> Capture {
        self.clone()
    }
}

fn captured_logs() -> &'static Capture {
    static LOGS: OnceLock<Capture> = OnceLock::new();
    LOGS.get_or_init(|| {
        let capture = Capture(Arc::default());
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("debug,neo4rs=info,greenpoints=trace"))
            .with_writer(capture.clone())
            .with_ansi(false)
            .without_time()
            .try_init()
            .expect("the tests' log capture is the process's only subscriber");
        capture
    })
}

fn logs() -> String {
    String::from_utf8_lossy(&captured_logs().0.lock().unwrap()).into_owned()
}

/// The lines of `text` where `code` appears as a number of its own: not inside a longer run of
/// digits, nor as the decimals of a number (the request log's "12.345678ms"). The capture holds
/// every test's logs, and these are the only other six-digit numbers in them.
fn mentions(text: &str, code: &str) -> Vec<String> {
    text.lines()
        .filter(|line| {
            line.match_indices(code).any(|(at, _)| {
                let before = line[..at].chars().next_back();
                let after = line[at + code.len()..].chars().next();
                !before.is_some_and(|c| c.is_ascii_digit() || c == '.') && !after.is_some_and(|c| c.is_ascii_digit())
            })
        })
        .map(str::to_string)
        .collect()
}

// ---------- login ----------

#[tokio::test]
async fn an_api_login_opens_a_member_session_cookie_that_the_me_endpoints_and_pages_accept() {
    let app = app_with_member().await;
    let http = Http::new(&app);
    let login = api_login(&http, A, PASSWORD).await;
    assert_eq!(login.status, 200, "{}", login.body);
    assert_eq!(login.json(), json!({"phone": A}));
    let line = login.set_cookie("gp_member").expect("a session cookie").to_ascii_lowercase();
    assert!(line.contains("httponly") && line.contains("samesite=strict") && line.contains("path=/"), "{line}");
    let cookie = login.cookie("gp_member").unwrap();
    assert!(http.opens_portal(&cookie).await, "the API's session opens the pages");

    let logout = http.api("/auth/logout", &[("gp_member", &cookie)], json!({})).await;
    assert_eq!(logout.status, 204);
    assert!(logout.set_cookie("gp_member").unwrap().to_ascii_lowercase().contains("max-age=0"));
    assert!(!http.opens_portal(&cookie).await, "logged out: the cookie opens nothing");
}

#[tokio::test]
async fn a_login_with_an_unknown_phone_answers_exactly_as_a_wrong_password_and_as_slowly() {
    let app = app_with_member().await;
    let http = Http::new(&app);
    let mut wrong_times = Vec::new();
    let mut unknown_times = Vec::new();
    let mut answers = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        let wrong = api_login(&http, A, "not the password").await;
        wrong_times.push(started.elapsed());
        let started = Instant::now();
        let unknown = api_login(&http, UNKNOWN, "not the password").await;
        unknown_times.push(started.elapsed());
        answers.push((wrong, unknown));
    }
    for (wrong, unknown) in &answers {
        assert_eq!(wrong.status, 401);
        assert_eq!(wrong.json()["error"]["code"], "invalid_credentials");
        assert_eq!((unknown.status, &unknown.body), (wrong.status, &wrong.body), "the same answer, word for word");
        assert!(unknown.cookie("gp_member").is_none() && wrong.cookie("gp_member").is_none());
    }
    wrong_times.sort();
    unknown_times.sort();
    // Both spend an Argon2id check: the unknown phone is not answered in a fraction of the time.
    assert!(unknown_times[1] * 3 >= wrong_times[1], "unknown {unknown_times:?} vs wrong {wrong_times:?}");

    // The login page too: same status, same words.
    let page_wrong = http.login(A, "not the password").await;
    let page_unknown = http.login(UNKNOWN, "not the password").await;
    assert_eq!(page_wrong.status, 401);
    assert_eq!(page_unknown.status, 401);
    assert!(page_wrong.body.contains("手机号或密码不正确"), "{}", page_wrong.body);
    assert_eq!(
        without_token(&page_wrong.body).replace(A, UNKNOWN),
        without_token(&page_unknown.body),
        "the pages differ only in the phone typed"
    );
}

#[tokio::test]
async fn logins_are_throttled_per_phone_whether_or_not_the_phone_is_registered() {
    let app = app_with_member().await;
    let http = Http::new(&app);
    for who in [A, UNKNOWN] {
        let mut statuses = Vec::new();
        for _ in 0..11 {
            statuses.push(api_login(&http, who, "not the password").await.status);
        }
        // The address's budget (10 at once) is spent by the first phone; either limit refuses.
        assert!(statuses.contains(&429), "{who}: {statuses:?}");
    }
    let throttled = api_login(&http, A, PASSWORD).await;
    assert_eq!(throttled.status, 429, "even the right password is refused while throttled");
    assert_eq!(throttled.json()["error"]["code"], "too_many_requests");
    assert!(throttled.cookie("gp_member").is_none());
    let page = http.login(A, PASSWORD).await;
    assert_eq!(page.status, 429);
    assert!(page.cookie("gp_member").is_none());
}

#[tokio::test]
async fn the_session_id_changes_at_every_login_and_a_planted_cookie_is_not_adopted() {
    let app = app_with_member().await;
    let http = Http::new(&app);
    let first = http.session(A, PASSWORD).await;
    let second = http.session(A, PASSWORD).await;
    assert_ne!(first, second, "a new session at every login");
    assert!(first.len() >= 32, "a long random value");

    // A login that carries a session cookie ends that session and opens a new one.
    let token = http.form_token("/login").await;
    let fields = [("csrf", token.as_str()), ("next", "/"), ("phone", A), ("password", PASSWORD)];
    let planted = http.post("/login", &[("gp_member_form", &token), ("gp_member", &second)], &fields).await;
    assert_eq!(planted.status, 303);
    let third = planted.cookie("gp_member").expect("the login sets its own cookie");
    assert_ne!(third, second);
    assert!(!http.opens_portal(&second).await, "the carried session ended");
    assert!(http.opens_portal(&third).await);
    assert!(http.opens_portal(&first).await, "another browser's session is its own");

    let api = api_login(&http, A, PASSWORD).await.cookie("gp_member").unwrap();
    assert!(![&first, &second, &third].contains(&&api), "the API's login is a new session too");
}

#[tokio::test]
async fn the_login_page_keeps_next_local_and_logout_ends_the_session() {
    let app = app_with_member().await;
    let http = Http::new(&app);
    let anonymous = http.get("/password", &[]).await;
    assert_eq!((anonymous.status, anonymous.location.as_str()), (303, "/login?next=%2Fpassword"));

    let token = http.form_token("/login?next=/password").await;
    let login = |next: &'static str| {
        let token = token.clone();
        let http = &http;
        async move {
            let fields = [("csrf", token.as_str()), ("next", next), ("phone", A), ("password", PASSWORD)];
            http.post("/login", &[("gp_member_form", &token)], &fields).await
        }
    };
    assert_eq!(login("/password").await.location, "/password");
    for elsewhere in ["https://evil.example/", "//evil.example/", "/\\evil.example", "/\t/evil.example"] {
        let refused = login(elsewhere).await;
        assert_eq!((refused.status, refused.location.as_str()), (400, ""), "{elsewhere}");
        assert!(refused.cookie("gp_member").is_none(), "{elsewhere}: no session");
    }

    let cookie = http.session(A, PASSWORD).await;
    let cookies = [("gp_member", cookie.as_str())];
    let forged = http.post("/logout", &cookies, &[("csrf", "forged")]).await;
    assert_eq!(forged.status, 403, "logout is a form like any other");
    assert!(http.opens_portal(&cookie).await, "the refused logout ended nothing");
    let csrf = http.csrf(&cookie).await;
    let logout = http.post("/logout", &cookies, &[("csrf", &csrf)]).await;
    assert_eq!((logout.status, logout.location.as_str()), (303, "/login"));
    assert!(logout.set_cookie("gp_member").unwrap().to_ascii_lowercase().contains("max-age=0"));
    assert!(!http.opens_portal(&cookie).await, "the old cookie opens nothing");
}

#[tokio::test]
async fn a_login_posted_without_its_double_submit_token_is_forbidden_and_opens_no_session() {
    let app = app_with_member().await;
    let http = Http::new(&app);
    let token = http.form_token("/login").await;
    let credentials = [("phone", A), ("password", PASSWORD)];
    let with_field: Vec<(&str, &str)> = [("csrf", token.as_str())].into_iter().chain(credentials).collect();
    let other = "b".repeat(64);
    let with_other: Vec<(&str, &str)> = [("csrf", other.as_str())].into_iter().chain(credentials).collect();

    let refused = [
        http.post("/login", &[], &credentials).await,
        http.post("/login", &[("gp_member_form", &token)], &credentials).await,
        http.post("/login", &[], &with_field).await,
        http.post("/login", &[("gp_member_form", &token)], &with_other).await,
        http.post("/login", &[("gp_member_form", "x")], &[("csrf", "x"), ("phone", A), ("password", PASSWORD)]).await,
    ];
    for reply in &refused {
        assert_eq!(reply.status, 403);
        assert!(reply.cookie("gp_member").is_none(), "no session was opened");
    }
    let login = http.post("/login", &[("gp_member_form", &token)], &with_field).await;
    assert_eq!(login.status, 303, "with the token the same login succeeds: {}", login.body);
}

// ---------- registration ----------

/// A member's invitation code, from the API.
async fn invitation_code(app: &TestApp, who: &str) -> String {
    app.summary(who).await["invitation_code"].as_str().expect("an invitation code").to_string()
}

/// Asks for a registration code for `who` on the invitation page of `link` (an invitation code)
/// and returns it from the outbox (the `count`-th message to `who`).
async fn registration_code(app: &TestApp, http: &Http, link: &str, who: &str, count: usize) -> String {
    let page = format!("/register?code={link}");
    let sent = http.post_public("/register/code", &page, &[("invitation", link), ("phone", who)]).await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    nth_code(app, who, count).await
}

#[tokio::test]
async fn a_member_registers_through_an_invitation_link_and_is_logged_in() {
    let app = app_with_member().await;
    let http = Http::new(&app);
    let link = invitation_code(&app, A).await;
    let form = http.get(&format!("/register?code={link}"), &[]).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("138****0001"), "the page names the sponsor, masked");
    assert!(form.body.contains("注册"), "Chinese first");

    let code = registration_code(&app, &http, &link, B, 1).await;
    let fields = [
        ("invitation", link.as_str()),
        ("phone", B),
        ("code", &code),
        ("password", PASSWORD),
        ("password_again", PASSWORD),
        ("name", "小王"),
    ];
    let registered = http.post_public("/register", &format!("/register?code={link}"), &fields).await;
    assert_eq!((registered.status, registered.location.as_str()), (303, "/"), "{}", registered.body);
    let cookie = registered.cookie("gp_member").expect("registration logs the member in");
    assert!(http.opens_portal(&cookie).await);

    let summary = app.summary(B).await;
    assert_eq!(summary["sponsor_phone"], A);
    assert_eq!(summary["name"], "小王");
    assert_eq!(app.summary(A).await["direct_count"], 1, "the sponsor's team counts the new member");
    assert!(audit_actions(&app).await.contains(&(format!("member:{B}"), "member.register".into(), B.into())));
    assert_eq!(api_login(&http, B, PASSWORD).await.status, 200, "the password works");
    let messages = outbox_to(&app, B).await;
    assert_eq!(messages.len(), 1, "registration sent one SMS: the code");
    assert_eq!(messages[0].purpose, "register");
}

#[tokio::test]
async fn registration_refuses_an_unknown_invitation_a_taken_phone_and_mismatched_passwords_and_changes_nothing() {
    let app = app_with_member().await;
    let http = Http::new(&app);
    let link = invitation_code(&app, A).await;
    let bad_link = http.get("/register?code=ZZZZZZZZ", &[]).await;
    assert_eq!(bad_link.status, 404);
    assert!(bad_link.body.contains("邀请链接无效"), "{}", bad_link.body);
    assert!(!bad_link.body.contains(r#"name="password""#), "no form for a broken link");
    assert_eq!(http.get("/register", &[]).await.status, 404, "a link without an invitation code");

    let code = registration_code(&app, &http, &link, B, 1).await;
    let post = |invitation: &'static str, who: &'static str, again: &'static str| {
        let (http, link, code) = (&http, link.clone(), code.clone());
        async move {
            let invitation = if invitation.is_empty() { link.as_str() } else { invitation };
            let fields =
                [("invitation", invitation), ("phone", who), ("code", code.as_str()), ("password", PASSWORD), ("password_again", again)];
            http.post_public("/register", &format!("/register?code={link}"), &fields).await
        }
    };
    let unknown = post("ZZZZZZZZ", B, PASSWORD).await;
    assert_eq!(unknown.status, 422);
    assert!(unknown.body.contains("邀请链接无效"));
    let taken = post("", ROOT, PASSWORD).await;
    assert_eq!(taken.status, 409);
    assert!(taken.body.contains("该手机号已注册"), "{}", taken.body);
    let mismatch = post("", B, "another password").await;
    assert_eq!(mismatch.status, 422);
    assert!(mismatch.body.contains("两次输入的密码不一致"));
    let bad_phone = post("", "12345", PASSWORD).await;
    assert_eq!(bad_phone.status, 400);
    for reply in [&unknown, &taken, &mismatch, &bad_phone] {
        assert!(reply.cookie("gp_member").is_none());
    }
    assert_eq!(app.get(&format!("/api/v1/members/{B}")).await.status, 404, "nobody was registered");
    assert_eq!(app.summary(A).await["direct_count"], 0);
    assert!(stored_hash(&app, ROOT).await.is_none(), "the taken phone's account is untouched");
    assert_eq!(post("", B, PASSWORD).await.status, 303, "the refusals before the code cost it nothing: it still registers");
}

#[tokio::test]
async fn a_registration_posted_without_its_token_is_forbidden_and_registers_nobody() {
    let app = app_with_member().await;
    let http = Http::new(&app);
    let link = invitation_code(&app, A).await;
    let fields = [("invitation", link.as_str()), ("phone", B), ("code", "123456"), ("password", PASSWORD), ("password_again", PASSWORD)];
    let refused = http.post("/register", &[], &fields).await;
    assert_eq!(refused.status, 403);
    assert_eq!(http.post("/register/code", &[], &fields).await.status, 403, "nor is a code sent without it");
    let token = http.form_token(&format!("/register?code={link}")).await;
    let other = "0".repeat(64);
    let wrong: Vec<(&str, &str)> = [("csrf", other.as_str())].into_iter().chain(fields).collect();
    assert_eq!(http.post("/register", &[("gp_member_form", &token)], &wrong).await.status, 403, "a token that is not the cookie's");
    let no_cookie: Vec<(&str, &str)> = [("csrf", token.as_str())].into_iter().chain(fields).collect();
    assert_eq!(http.post("/register", &[], &no_cookie).await.status, 403, "a token without its cookie");
    assert_eq!(app.get(&format!("/api/v1/members/{B}")).await.status, 404);
    assert!(outbox_to(&app, B).await.is_empty(), "no code was sent");
}

#[tokio::test]
async fn the_stored_password_hash_is_argon2id_with_owasp_parameters() {
    let app = app_with_member().await;
    let http = Http::new(&app);
    let link = invitation_code(&app, A).await;
    let code = registration_code(&app, &http, &link, B, 1).await;
    let fields = [("invitation", link.as_str()), ("phone", B), ("code", &code), ("password", PASSWORD), ("password_again", PASSWORD)];
    assert_eq!(http.post_public("/register", &format!("/register?code={link}"), &fields).await.status, 303);
    let code = reset_code(&app, &http, A, 1).await;
    assert_eq!(reset(&http, A, &code, NEW_PASSWORD).await.status, 200);
    for who in [A, B] {
        let hash = stored_hash(&app, who).await.expect("a password hash");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{who}: {hash}");
        assert!(!hash.contains(PASSWORD) && !hash.contains(NEW_PASSWORD));
    }
}

// ---------- SMS codes ----------

#[tokio::test]
async fn a_reset_code_sets_a_new_password_once_ends_every_session_and_is_audited() {
    let app = app_with_member().await;
    let http = Http::new(&app);
    let session = http.session(A, PASSWORD).await;
    let code = reset_code(&app, &http, A, 1).await;
    let message = &outbox_to(&app, A).await[0];
    assert_eq!(message.purpose, "reset");
    assert!(message.text.contains("10 分钟"), "{}", message.text);

    let done = reset(&http, A, &code, NEW_PASSWORD).await;
    assert_eq!((done.status, done.json()), (200, json!({"phone": A})));
    assert!(!http.opens_portal(&session).await, "the member's sessions ended");
    assert_eq!(api_login(&http, A, PASSWORD).await.status, 401, "the old password no longer works");
    assert_eq!(api_login(&http, A, NEW_PASSWORD).await.status, 200);

    let again = reset(&http, A, &code, "yet another password").await;
    assert_eq!((again.status, again.json()["error"]["code"].as_str()), (422, Some("invalid_code")), "a used code fails");
    assert_eq!(api_login(&http, A, NEW_PASSWORD).await.status, 200, "and changed nothing");
    let entries = audit_actions(&app).await;
    assert!(entries.contains(&(format!("member:{A}"), "member.password_reset".into(), A.into())), "{entries:?}");
}

#[tokio::test]
async fn the_sixth_try_of_a_code_is_refused_even_when_it_is_right() {
    let app = app_with_member().await;
    let http = Http::new(&app);
    let code = reset_code(&app, &http, A, 1).await;
    let wrong = another_code(&code);
    for attempt in 1..=5 {
        let refused = reset(&http, A, &wrong, NEW_PASSWORD).await;
        assert_eq!((refused.status, refused.json()["error"]["code"].as_str()), (422, Some("invalid_code")), "try {attempt}");
    }
    let sixth = reset(&http, A, &code, NEW_PASSWORD).await;
    assert_eq!((sixth.status, sixth.json()["error"]["code"].as_str()), (422, Some("invalid_code")), "the sixth try, right or not");
    assert_eq!(api_login(&http, A, PASSWORD).await.status, 200, "the password did not change");

    // Four wrong tries leave the fifth to the right code.
    let later = Utc::now() + TimeDelta::minutes(2);
    let codes = SmsCodes::new(SmsSender::Development);
    codes.request(&app.graph, &phone(A), Purpose::Reset, later).await.unwrap();
    let code = nth_code(&app, A, 2).await;
    for _ in 1..=4 {
        assert!(matches!(codes.redeem(&app.graph, &phone(A), Purpose::Reset, &another_code(&code), later).await, Err(CodeError::Invalid)));
    }
    codes.redeem(&app.graph, &phone(A), Purpose::Reset, &code, later).await.expect("the fifth try is still a try");
}

#[tokio::test]
async fn a_second_code_within_a_minute_and_an_eleventh_within_24_hours_are_refused() {
    let app = app_with_member().await;
    let http = Http::new(&app);
    for who in [A, UNKNOWN] {
        let first = http.api("/auth/sms-code", &[], json!({"phone": who, "purpose": "reset"})).await;
        assert_eq!(first.status, 202, "{}", first.body);
        let second = http.api("/auth/sms-code", &[], json!({"phone": who, "purpose": "reset"})).await;
        assert_eq!((second.status, second.json()["error"]["code"].as_str()), (429, Some("too_many_requests")), "{who}");
    }
    nth_code(&app, A, 1).await;

    // The daily limit, with the clock moved by hand: sends two minutes apart.
    let codes = SmsCodes::new(SmsSender::Development);
    let start = Utc::now() + TimeDelta::minutes(5);
    for who in [ROOT, "13900000008"] {
        let who = phone(who);
        for n in 0..10 {
            let at = start + TimeDelta::minutes(2 * n);
            codes.request(&app.graph, &who, Purpose::Reset, at).await.unwrap_or_else(|e| panic!("send {}: {e}", n + 1));
            let soon = codes.request(&app.graph, &who, Purpose::Change, at + TimeDelta::seconds(59)).await;
            assert!(matches!(soon, Err(CodeError::TooSoon)), "one a minute, whatever the purpose");
        }
        let eleventh = codes.request(&app.graph, &who, Purpose::Reset, start + TimeDelta::hours(23)).await;
        assert!(matches!(eleventh, Err(CodeError::WindowFull)), "the eleventh in 24 hours: {eleventh:?}");
        // A rolling window: 24 hours after the first send, it no longer counts.
        let next_day = start + TimeDelta::hours(24) + TimeDelta::milliseconds(1);
        codes.request(&app.graph, &who, Purpose::Reset, next_day).await.expect("the first send left the window");
        let refused = codes.request(&app.graph, &who, Purpose::Reset, next_day + TimeDelta::minutes(1)).await;
        assert!(matches!(refused, Err(CodeError::WindowFull)), "the second send is still in it");
    }
}

#[tokio::test]
async fn code_requests_answer_the_same_for_unknown_and_registered_phones_and_send_nothing_to_unknown_ones() {
    let app = app_with_member().await;
    let http = Http::new(&app);
    let registered = http.api("/auth/sms-code", &[], json!({"phone": A, "purpose": "reset"})).await;
    let unknown = http.api("/auth/sms-code", &[], json!({"phone": UNKNOWN, "purpose": "reset"})).await;
    assert_eq!((registered.status, &registered.body), (unknown.status, &unknown.body));
    assert_eq!(registered.status, 202);
    let (registered, unknown) = (
        http.api("/auth/sms-code", &[], json!({"phone": A, "purpose": "reset"})).await,
        http.api("/auth/sms-code", &[], json!({"phone": UNKNOWN, "purpose": "reset"})).await,
    );
    assert_eq!((registered.status, &registered.body), (unknown.status, &unknown.body), "the limits alike");
    assert_eq!(registered.status, 429);

    nth_code(&app, A, 1).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(outbox_to(&app, UNKNOWN).await.is_empty(), "nothing is sent to an unregistered phone");
    let reset_unknown = reset(&http, UNKNOWN, "123456", NEW_PASSWORD).await;
    assert_eq!((reset_unknown.status, reset_unknown.json()["error"]["code"].as_str()), (422, Some("invalid_code")));
    assert_eq!(app.get(&format!("/api/v1/members/{UNKNOWN}")).await.status, 404, "no account was made");

    // The page says the same for both, too.
    let page_for = |who: &'static str| {
        let http = &http;
        async move { http.post_public("/reset", "/reset", &[("phone", who)]).await }
    };
    let (page_root, page_unknown) = (page_for(ROOT).await, page_for("13900000007").await);
    assert_eq!(page_root.status, 200);
    assert_eq!(without_token(&page_root.body).replace(ROOT, "13900000007"), without_token(&page_unknown.body));
    nth_code(&app, ROOT, 1).await;
}

#[tokio::test]
async fn sms_code_requests_with_bad_input_are_refused_with_stable_codes_and_send_nothing() {
    let app = app_with_member().await;
    let http = Http::new(&app);
    let cases = [
        (json!({"phone": "12345", "purpose": "reset"}), 400, "invalid_phone"),
        (json!({"phone": A, "purpose": "register"}), 400, "invalid_purpose"),
        (json!({"phone": A}), 400, "invalid_body"),
        (json!({"phone": A, "purpose": "reset", "extra": 1}), 400, "invalid_body"),
        (json!({"phone": A, "purpose": "change"}), 401, "unauthorized"),
    ];
    for (body, status, code) in cases {
        let answer = http.api("/auth/sms-code", &[], body.clone()).await;
        assert_eq!((answer.status, answer.json()["error"]["code"].as_str()), (status, Some(code)), "{body}");
    }
    // Someone else's session does not send a change code to A.
    app.member(B, Some(A)).await;
    let code = reset_code(&app, &http, B, 1).await;
    assert_eq!(reset(&http, B, &code, PASSWORD).await.status, 200);
    let b_session = api_login(&http, B, PASSWORD).await.cookie("gp_member").unwrap();
    let foreign = http.api("/auth/sms-code", &[("gp_member", &b_session)], json!({"phone": A, "purpose": "change"})).await;
    assert_eq!(foreign.status, 401);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(outbox_to(&app, A).await.is_empty(), "nothing was sent");

    let bad_password = reset(&http, B, "000000", "short").await;
    assert_eq!((bad_password.status, bad_password.json()["error"]["code"].as_str()), (400, Some("invalid_password")));
}

#[tokio::test]
async fn a_bad_new_password_costs_no_try_and_changes_nothing() {
    let app = app_with_member().await;
    let http = Http::new(&app);
    let code = reset_code(&app, &http, A, 1).await;
    for _ in 0..6 {
        let short = reset(&http, A, &code, "short").await;
        assert_eq!((short.status, short.json()["error"]["code"].as_str()), (400, Some("invalid_password")));
    }
    assert_eq!(api_login(&http, A, PASSWORD).await.status, 200, "nothing changed");
    assert_eq!(reset(&http, A, &code, NEW_PASSWORD).await.status, 200, "the code still had all its tries");
}

#[tokio::test]
async fn an_expired_code_fails() {
    let app = app_with_member().await;
    let http = Http::new(&app);
    let code = reset_code(&app, &http, A, 1).await;
    // Ten minutes pass (the stored expiry moves back instead).
    let aged = sms_codes::expire(&app.graph, A, "reset", Utc::now().timestamp_millis() - 1).await.unwrap();
    assert_eq!(aged, 1);
    let late = reset(&http, A, &code, NEW_PASSWORD).await;
    assert_eq!((late.status, late.json()["error"]["code"].as_str()), (422, Some("invalid_code")));
    assert_eq!(api_login(&http, A, PASSWORD).await.status, 200, "the password did not change");

    // And by the domain's own clock: valid for 10 minutes, not a millisecond longer.
    let codes = SmsCodes::new(SmsSender::Development);
    let at = Utc::now() + TimeDelta::minutes(2);
    codes.request(&app.graph, &phone(A), Purpose::Reset, at).await.unwrap();
    let code = nth_code(&app, A, 2).await;
    let expired = codes.redeem(&app.graph, &phone(A), Purpose::Reset, &code, at + TimeDelta::minutes(10)).await;
    assert!(matches!(expired, Err(CodeError::Invalid)), "{expired:?}");
    codes.redeem(&app.graph, &phone(A), Purpose::Reset, &code, at + TimeDelta::minutes(10) - TimeDelta::milliseconds(1)).await.unwrap();
}

#[tokio::test]
async fn a_new_code_replaces_the_older_one_and_a_code_serves_only_its_purpose() {
    let app = app_with_member().await;
    let codes = SmsCodes::new(SmsSender::Development);
    let a = phone(A);
    let t0 = Utc::now();
    codes.request(&app.graph, &a, Purpose::Reset, t0).await.unwrap();
    let old = nth_code(&app, A, 1).await;
    codes.request(&app.graph, &a, Purpose::Reset, t0 + TimeDelta::minutes(1)).await.unwrap();
    let new = nth_code(&app, A, 2).await;
    let now = t0 + TimeDelta::minutes(1);
    if old != new {
        assert!(matches!(codes.redeem(&app.graph, &a, Purpose::Reset, &old, now).await, Err(CodeError::Invalid)), "the older code is void");
    }
    assert!(
        matches!(codes.redeem(&app.graph, &a, Purpose::Change, &new, now).await, Err(CodeError::Invalid)),
        "a reset code changes nothing"
    );
    codes.redeem(&app.graph, &a, Purpose::Reset, &new, now).await.expect("the newest code works");
    assert!(matches!(codes.redeem(&app.graph, &a, Purpose::Reset, &new, now).await, Err(CodeError::Invalid)), "once");
}

#[tokio::test]
async fn concurrent_requests_for_one_phone_send_one_code_and_concurrent_tries_count_every_try() {
    let app = app_with_member().await;
    let codes = Arc::new(SmsCodes::new(SmsSender::Development));
    let at = Utc::now();
    let requests: Vec<_> = (0..8)
        .map(|_| {
            let (codes, graph) = (codes.clone(), app.graph.clone());
            tokio::spawn(async move { codes.request(&graph, &phone(A), Purpose::Reset, at).await.is_ok() })
        })
        .collect();
    let mut granted = 0;
    for request in requests {
        granted += usize::from(request.await.unwrap());
    }
    assert_eq!(granted, 1, "one send a minute, however many ask at once");
    let code = nth_code(&app, A, 1).await;

    let wrong = another_code(&code);
    let tries: Vec<_> = (0..8)
        .map(|_| {
            let (codes, graph, wrong) = (codes.clone(), app.graph.clone(), wrong.clone());
            tokio::spawn(async move { codes.redeem(&graph, &phone(A), Purpose::Reset, &wrong, at).await })
        })
        .collect();
    for attempt in tries {
        assert!(matches!(attempt.await.unwrap(), Err(CodeError::Invalid)));
    }
    assert!(matches!(codes.redeem(&app.graph, &phone(A), Purpose::Reset, &code, at).await, Err(CodeError::Invalid)), "every try counted");
}

// ---------- the pages: reset and change ----------

#[tokio::test]
async fn a_member_resets_the_password_through_the_pages_and_the_outbox() {
    let app = app_with_member().await;
    let http = Http::new(&app);
    let session = http.session(A, PASSWORD).await;
    let form = http.get("/reset", &[]).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("找回密码"));
    let sent = http.post_public("/reset", "/reset", &[("phone", A)]).await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert!(sent.body.contains("验证码已发出"), "{}", sent.body);
    assert!(sent.body.contains(&format!(r#"value="{A}""#)), "the second step keeps the phone");
    let again = http.post_public("/reset", "/reset", &[("phone", A)]).await;
    assert_eq!(again.status, 429);
    assert!(again.body.contains("每分钟最多 1 条"));
    let code = nth_code(&app, A, 1).await;

    let confirm = |code: String, password: &'static str, again: &'static str| {
        let http = &http;
        async move {
            let fields = [("phone", A), ("code", code.as_str()), ("password", password), ("password_again", again)];
            http.post_public("/reset/confirm", "/reset/confirm", &fields).await
        }
    };
    let mismatch = confirm(code.clone(), NEW_PASSWORD, "something else entirely").await;
    assert_eq!(mismatch.status, 422);
    assert!(mismatch.body.contains("两次输入的密码不一致"));
    let wrong = confirm(another_code(&code), NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("验证码不正确"));
    let done = confirm(code.clone(), NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!((done.status, done.location.as_str()), (303, "/login?reset=1"), "{}", done.body);
    let notice = http.get("/login?reset=1", &[]).await;
    assert!(notice.body.contains("密码已重置"));
    assert!(!http.opens_portal(&session).await, "the other sessions ended");
    http.session(A, NEW_PASSWORD).await;
    let used = confirm(code, "a third password!", "a third password!").await;
    assert_eq!(used.status, 422, "a used code fails on the page too");
}

#[tokio::test]
async fn a_login_code_logs_the_member_in_once_over_the_api_and_nothing_else_does() {
    let app = app_with_member().await;
    let http = Http::new(&app);
    let sent = http.api("/auth/sms-code", &[], json!({"phone": A, "purpose": "login"})).await;
    assert_eq!(sent.status, 202, "{}", sent.body);
    let code = nth_code(&app, A, 1).await;
    assert!(outbox_to(&app, A).await[0].text.contains("用于登录"), "the message says what the code is for");
    let by_code = |who: &'static str, code: String| {
        let http = &http;
        async move { http.api("/auth/login-by-code", &[], json!({"phone": who, "code": code})).await }
    };
    let wrong = by_code(A, another_code(&code)).await;
    assert_eq!((wrong.status, wrong.json()["error"]["code"].as_str()), (422, Some("invalid_code")), "{}", wrong.body);
    assert!(wrong.cookie("gp_member").is_none());
    let logged_in = by_code(A, code.clone()).await;
    assert_eq!((logged_in.status, logged_in.json()["phone"].as_str()), (200, Some(A)), "{}", logged_in.body);
    let cookie = logged_in.cookie("gp_member").expect("a session");
    assert!(http.opens_portal(&cookie).await, "the session opens the portal");
    assert_eq!(by_code(A, code).await.status, 422, "a login code works once");
    assert_eq!(api_login(&http, A, PASSWORD).await.status, 200, "the password is unchanged");

    // A reset code is not a login code (another phone: one code a minute per phone).
    let reset = reset_code(&app, &http, ROOT, 1).await;
    assert_eq!(by_code(ROOT, reset.clone()).await.status, 422, "a reset code does not log in");
    assert_eq!(self::reset(&http, ROOT, &reset, NEW_PASSWORD).await.status, 200, "and kept its try for the reset");

    // A phone that is no member's gets the same 202 and no message; no code logs it in.
    let unknown = http.api("/auth/sms-code", &[], json!({"phone": UNKNOWN, "purpose": "login"})).await;
    assert_eq!(unknown.status, 202);
    assert!(outbox_to(&app, UNKNOWN).await.is_empty(), "nothing is sent to a phone that is no member's");
    assert_eq!(by_code(UNKNOWN, "123456".into()).await.status, 422);
    let bad = http.api("/auth/login-by-code", &[], json!({"phone": "12345", "code": "123456"})).await;
    assert_eq!((bad.status, bad.json()["error"]["code"].as_str()), (400, Some("invalid_phone")));
}

#[tokio::test]
async fn a_member_the_mall_created_without_a_password_logs_in_with_a_code_on_the_login_page() {
    let app = spawn_app().await;
    app.member(ROOT, None).await;
    let created = app.post("/api/v1/members", json!({"phone": B, "sponsor_phone": ROOT})).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let http = Http::new(&app);
    let login = http.get("/login?next=/points", &[]).await;
    assert!(login.body.contains("还没有设置密码"), "the login page tells such a member the way in: {}", login.body);
    assert!(login.body.contains(r#"href="/login/code?next=%2Fpoints""#), "{}", login.body);

    let form = http.get("/login/code?next=/points", &[]).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("短信验证码") && !form.body.contains("data-wait="), "no countdown before a send");
    let fields = [("next", "/points"), ("phone", B)];
    let sent = http.post_public("/login/code/send", "/login/code", &fields).await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert!(sent.body.contains("验证码已发出"), "{}", sent.body);
    assert!(sent.body.contains(&format!(r#"value="{B}""#)), "the phone typed is kept");
    assert!(sent.body.contains(r#"data-wait="60""#), "the send button counts down a minute: {}", sent.body);
    assert!(sent.body.contains(r#"<script src="/static/countdown.js">"#));
    let again = http.post_public("/login/code/send", "/login/code", &fields).await;
    assert_eq!(again.status, 429, "a second code within the minute is refused");
    assert!(again.body.contains("每分钟最多 1 条") && !again.body.contains("data-wait="), "{}", again.body);
    let code = nth_code(&app, B, 1).await;

    let wrong = http.post_public("/login/code", "/login/code", &[("next", "/points"), ("phone", B), ("code", &another_code(&code))]).await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("验证码不正确") && wrong.cookie("gp_member").is_none(), "{}", wrong.body);
    let done = http.post_public("/login/code", "/login/code", &[("next", "/points"), ("phone", B), ("code", &code)]).await;
    assert_eq!((done.status, done.location.as_str()), (303, "/points"), "{}", done.body);
    let cookie = done.cookie("gp_member").expect("a session");
    assert!(http.opens_portal(&cookie).await);
    assert!(stored_hash(&app, B).await.is_none(), "logging in by code sets no password");
    let script = http.get("/static/countdown.js", &[]).await;
    assert_eq!(script.status, 200);
    assert!(script.body.contains("data-wait"));
}

#[tokio::test]
async fn the_code_forms_count_down_to_the_next_code_after_a_send() {
    let app = app_with_member().await;
    let http = Http::new(&app);
    let reset = http.post_public("/reset", "/reset", &[("phone", ROOT)]).await;
    assert!(reset.body.contains(r#"data-wait="60""#), "the reset's second step counts down: {}", reset.body);
    assert!(reset.body.contains(r#"formaction="/reset""#), "and asks for a new code with the phone typed");
    let cookie = http.session(A, PASSWORD).await;
    let before = http.get("/password", &[("gp_member", &cookie)]).await;
    assert!(!before.body.contains("data-wait="), "no countdown before a send");
    let csrf = http.csrf(&cookie).await;
    let sent = http.post("/password/code", &[("gp_member", &cookie)], &[("csrf", &csrf)]).await;
    assert_eq!((sent.status, sent.location.as_str()), (303, "/password?sent=1"), "{}", sent.body);
    let after = http.get(&sent.location, &[("gp_member", &cookie)]).await;
    assert!(after.body.contains(r#"data-wait="60""#), "{}", after.body);
}

#[tokio::test]
async fn a_reset_confirmation_posted_without_its_token_is_forbidden_and_leaves_the_code_usable() {
    let app = app_with_member().await;
    let http = Http::new(&app);
    let code = reset_code(&app, &http, A, 1).await;
    let fields = [("phone", A), ("code", code.as_str()), ("password", NEW_PASSWORD), ("password_again", NEW_PASSWORD)];
    assert_eq!(http.post("/reset/confirm", &[], &fields).await.status, 403);
    assert_eq!(http.post("/reset", &[], &[("phone", A)]).await.status, 403, "nor is a code sent");
    assert_eq!(api_login(&http, A, PASSWORD).await.status, 200, "the password did not change");
    assert_eq!(reset(&http, A, &code, NEW_PASSWORD).await.status, 200, "the code lost no try");
}

#[tokio::test]
async fn a_logged_in_member_changes_the_password_with_a_code_sent_to_its_own_phone() {
    let app = app_with_member().await;
    let http = Http::new(&app);
    let other_browser = http.session(A, PASSWORD).await;
    let cookie = http.session(A, PASSWORD).await;
    let csrf = http.csrf(&cookie).await;
    let cookies = [("gp_member", cookie.as_str())];

    let sent = http.post("/password/code", &cookies, &[("csrf", &csrf)]).await;
    assert_eq!((sent.status, sent.location.as_str()), (303, "/password?sent=1"));
    let code = nth_code(&app, A, 1).await;
    assert_eq!(outbox_to(&app, A).await[0].purpose, "change");
    let refused = http.post("/password/code", &cookies, &[("csrf", &csrf)]).await;
    assert_eq!(refused.status, 429, "one a minute");

    let wrong_code = another_code(&code);
    let wrong = [("csrf", csrf.as_str()), ("code", &wrong_code), ("password", NEW_PASSWORD), ("password_again", NEW_PASSWORD)];
    let refused = http.post("/password", &cookies, &wrong).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("验证码不正确"));

    let right = [("csrf", csrf.as_str()), ("code", &code), ("password", NEW_PASSWORD), ("password_again", NEW_PASSWORD)];
    let changed = http.post("/password", &cookies, &right).await;
    assert_eq!((changed.status, changed.location.as_str()), (303, "/password?changed=1"), "{}", changed.body);
    let renewed = changed.cookie("gp_member").expect("a new session for this browser");
    assert_ne!(renewed, cookie);
    assert!(http.opens_portal(&renewed).await);
    assert!(!http.opens_portal(&cookie).await && !http.opens_portal(&other_browser).await, "every earlier session ended");
    assert_eq!(api_login(&http, A, NEW_PASSWORD).await.status, 200);
    let entries = audit_actions(&app).await;
    assert!(entries.contains(&(format!("member:{A}"), "member.password_change".into(), A.into())), "{entries:?}");
}

#[tokio::test]
async fn a_password_change_posted_without_the_session_csrf_token_is_forbidden_and_changes_nothing() {
    let app = app_with_member().await;
    let http = Http::new(&app);
    let cookie = http.session(A, PASSWORD).await;
    let cookies = [("gp_member", cookie.as_str())];
    let csrf = http.csrf(&cookie).await;
    assert_eq!(http.post("/password/code", &cookies, &[]).await.status, 403, "no code is sent without the token");
    assert_eq!(http.post("/password/code", &cookies, &[("csrf", csrf.as_str())]).await.status, 303);
    let code = nth_code(&app, A, 1).await;
    let hash_before = stored_hash(&app, A).await;

    let fields = [("code", code.as_str()), ("password", NEW_PASSWORD), ("password_again", NEW_PASSWORD)];
    let other = "0".repeat(64);
    for token in [None, Some(""), Some(other.as_str())] {
        let mut form = fields.to_vec();
        if let Some(token) = token {
            form.push(("csrf", token));
        }
        assert_eq!(http.post("/password", &cookies, &form).await.status, 403, "token {token:?}");
    }
    let logged_out = http.post("/password", &[], &[("csrf", csrf.as_str()), fields[0], fields[1], fields[2]]).await;
    assert_eq!((logged_out.status, logged_out.location.as_str()), (303, "/login?next=%2F"), "no session: to the login page");
    assert_eq!(stored_hash(&app, A).await, hash_before, "the password did not change");
    assert!(http.opens_portal(&cookie).await, "the session did not end");
    let mut with_token = fields.to_vec();
    with_token.push(("csrf", csrf.as_str()));
    assert_eq!(http.post("/password", &cookies, &with_token).await.status, 303, "the code lost no try");
}

// ---------- logs ----------

#[tokio::test]
async fn no_sms_code_appears_in_any_log() {
    captured_logs();
    let app = app_with_member().await;
    let http = Http::new(&app);
    // Every path a code takes: sent (API and page), tried wrong, used, refused when used again.
    let first = reset_code(&app, &http, A, 1).await;
    assert_eq!(reset(&http, A, &another_code(&first), NEW_PASSWORD).await.status, 422);
    assert_eq!(reset(&http, A, &first, NEW_PASSWORD).await.status, 200);
    assert_eq!(reset(&http, A, &first, NEW_PASSWORD).await.status, 422);
    // The change path on another member (A may have one code a minute).
    let created = app.post("/api/v1/members", json!({"phone": B, "sponsor_phone": A, "password": PASSWORD})).await;
    assert_eq!(created.status, 201);
    let cookie = http.session(B, PASSWORD).await;
    let csrf = http.csrf(&cookie).await;
    assert_eq!(http.post("/password/code", &[("gp_member", &cookie)], &[("csrf", &csrf)]).await.status, 303);
    let second = nth_code(&app, B, 1).await;
    let form = [("csrf", csrf.as_str()), ("code", second.as_str()), ("password", PASSWORD), ("password_again", PASSWORD)];
    assert_eq!(http.post("/password", &[("gp_member", &cookie)], &form).await.status, 303);

    let logs = logs();
    assert!(logs.contains("SMS code issued") && logs.contains("138****0001"), "the capture holds the server's events");
    assert!(logs.contains("SMS code refused: wrong") && logs.contains("SMS code used"), "including the tries");
    assert!(logs.contains("/api/v1/auth/reset-password"), "and the request log");
    for code in [&first, &second] {
        assert_eq!(mentions(&logs, code), Vec::<String>::new(), "the code {code} is in the logs");
    }
    for message in outbox_to(&app, A).await.into_iter().chain(outbox_to(&app, B).await) {
        assert!(!logs.contains(&message.text), "a message text is in the logs");
    }
    let sms_lines: Vec<&str> = logs.lines().filter(|l| l.contains("SMS") || l.contains("member login")).collect();
    assert!(sms_lines.iter().all(|l| !l.contains(A) && !l.contains(B)), "phones are logged masked: {sms_lines:#?}");
}

// ---------- the webhook sender ----------

/// What the gateway received: each request's signature header and body.
type Received = Arc<Mutex<Vec<(Option<String>, Vec<u8>)>>>;

/// A small SMS gateway: records what it receives and answers with the status it is told.
struct Gateway {
    url: String,
    received: Received,
    status: Arc<AtomicU16>,
}

async fn gateway() -> Gateway {
    use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
    let received: Received = Arc::default();
    let status = Arc::new(AtomicU16::new(200));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/sms", listener.local_addr().unwrap());
    let (r, s) = (received.clone(), status.clone());
    let server = HttpServer::new(move || {
        let (r, s) = (r.clone(), s.clone());
        App::new().route(
            "/sms",
            web::post().to(move |req: HttpRequest, body: web::Bytes| {
                let (r, s) = (r.clone(), s.clone());
                async move {
                    let signature = req.headers().get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok()).map(str::to_string);
                    r.lock().unwrap().push((signature, body.to_vec()));
                    HttpResponse::build(actix_web::http::StatusCode::from_u16(s.load(Ordering::SeqCst)).unwrap()).body("echo: anything")
                }
            }),
        )
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    tokio::spawn(server);
    Gateway { url, received, status }
}

const SECRET: &str = "a webhook secret of some length";

/// The app with the webhook sender pointed at `url`.
async fn app_with_webhook(url: &str) -> TestApp {
    let sender = SmsSender::Webhook(Webhook::new(url, SECRET).unwrap().with_backoff(Duration::from_millis(50)));
    let app = crate::helpers::spawn_app_with(greenpoints::app::Settings { sms: sender, ..Default::default() }).await;
    app.member(ROOT, None).await;
    app.member(A, Some(ROOT)).await;
    app
}

async fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("waited in vain for {what}");
}

#[tokio::test]
async fn the_webhook_sender_posts_the_message_as_signed_json_and_the_outbox_stays_empty() {
    let gateway = gateway().await;
    let app = app_with_webhook(&gateway.url).await;
    let http = Http::new(&app);
    let sent = http.api("/auth/sms-code", &[], json!({"phone": A, "purpose": "reset"})).await;
    assert_eq!(sent.status, 202);
    wait_for("the gateway to receive the message", || !gateway.received.lock().unwrap().is_empty()).await;
    let (signature, body) = gateway.received.lock().unwrap()[0].clone();
    // `t=TIMESTAMP,v1=HMAC(TIMESTAMP.BODY)`: a receiver can refuse an old message sent again.
    let signature = signature.expect("the message is signed");
    let (t, v1) = signature.split_once(',').expect("t=…,v1=…");
    let timestamp: i64 = t.strip_prefix("t=").expect("t=").parse().expect("a Unix time");
    assert!((chrono::Utc::now().timestamp() - timestamp).abs() < 60, "the time of sending, {timestamp}");
    let signed = [format!("{timestamp}.").as_bytes(), &body].concat();
    assert_eq!(v1.strip_prefix("v1="), Some(hex::encode(hmac_sha256(SECRET.as_bytes(), &signed)).as_str()), "signed with the secret");
    let message: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(message["phone"], A);
    assert_eq!(message["purpose"], "reset");
    let text = message["text"].as_str().unwrap();
    let code = code_in(text);
    assert_eq!(message.as_object().unwrap().len(), 3, "{message}");
    assert!(outbox_to(&app, A).await.is_empty(), "the webhook sender keeps nothing in the outbox");
    assert_eq!(reset(&http, A, &code, NEW_PASSWORD).await.status, 200, "the delivered code works");

    // Nothing for an unregistered phone.
    assert_eq!(http.api("/auth/sms-code", &[], json!({"phone": UNKNOWN, "purpose": "reset"})).await.status, 202);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(gateway.received.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_failing_webhook_is_retried_three_times_and_its_failure_is_logged_without_the_code() {
    captured_logs();
    let gateway = gateway().await;
    gateway.status.store(503, Ordering::SeqCst);
    let app = app_with_webhook(&gateway.url).await;
    let http = Http::new(&app);
    let sent = http.api("/auth/sms-code", &[], json!({"phone": A, "purpose": "reset"})).await;
    assert_eq!(sent.status, 202, "the request is answered before the delivery");
    wait_for("three tries", || gateway.received.lock().unwrap().len() >= 3).await;
    wait_for("the failure in the logs", || logs().contains("SMS delivery through the webhook failed")).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let received = gateway.received.lock().unwrap().clone();
    assert_eq!(received.len(), 3, "three tries, then it gives up");
    assert!(received.windows(2).all(|w| w[0].1 == w[1].1), "the same body each time");
    // Each try is signed at its own time, so that a receiver can refuse an old one replayed.
    for (signature, body) in &received {
        let (t, v1) = signature.as_deref().and_then(|s| s.split_once(',')).expect("t=…,v1=…");
        let timestamp = t.strip_prefix("t=").expect("t=");
        let signed = [format!("{timestamp}.").as_bytes(), body].concat();
        assert_eq!(v1.strip_prefix("v1="), Some(hex::encode(hmac_sha256(SECRET.as_bytes(), &signed)).as_str()));
    }
    let text = serde_json::from_slice::<Value>(&received[0].1).unwrap()["text"].as_str().unwrap().to_string();
    let code = code_in(&text);

    let captured = logs();
    let failures: Vec<&str> = captured.lines().filter(|l| l.contains("SMS webhook") || l.contains("through the webhook")).collect();
    assert!(failures.iter().filter(|l| l.contains("refused a message") && l.contains("status=503")).count() >= 3, "{failures:#?}");
    assert!(failures.iter().any(|l| l.contains("138****0001")), "the phone is logged masked: {failures:#?}");
    assert_eq!(mentions(&captured, &code), Vec::<String>::new(), "the code is not in the logs");
    assert!(!captured.contains(&text) && !captured.contains("echo: anything"), "neither the text nor the gateway's answer");

    // A gateway that does not answer at all is retried too.
    let nobody = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/sms", nobody.local_addr().unwrap());
    drop(nobody);
    let sender = Webhook::new(&url, SECRET).unwrap().with_backoff(Duration::from_millis(10));
    let message = greenpoints::app::sms::Message { phone: phone(B), purpose: Purpose::Change, text: "【绿色积分】987654".into() };
    let failed = SmsSender::Webhook(sender).send(&app.graph, &message, Utc::now()).await;
    assert!(failed.is_err());
    let after = logs();
    assert!(after.lines().filter(|l| l.contains("did not answer") && l.contains("138****0002")).count() >= 3);
    assert_eq!(mentions(&after, "987654"), Vec::<String>::new());
}

// ---------- the API document ----------

#[tokio::test]
async fn the_auth_endpoints_are_in_the_openapi_document() {
    let app = spawn_app().await;
    let document = app.call_with(None, reqwest::Method::GET, "/api/v1/openapi.json", None).await.body;
    for path in ["/auth/login", "/auth/login-by-code", "/auth/logout", "/auth/sms-code", "/auth/reset-password", "/auth/change-password"] {
        assert!(document["paths"][path]["post"].is_object(), "{path}");
    }
    let login = &document["paths"]["/auth/login"]["post"];
    assert!(login["responses"]["401"].is_object() && login["responses"]["429"].is_object());
    assert!(document["paths"]["/auth/reset-password"]["post"]["responses"]["422"].is_object());
}
