//! Registration through an invitation link (SPEC §5): the link carries the sponsor's invitation
//! code, not its phone, and the new member proves its phone with an SMS code sent to it. Before
//! this, the page registered any phone under any sponsor on sight (phone squatting): the first
//! test below failed then (the register form answered 303 and created the member).
use std::net::TcpListener;
use std::time::Duration;

use greenpoints::app::{Application, Settings};
use greenpoints::graph::{audit, members, schema, sms};
use greenpoints::http;
use serde_json::json;

use crate::helpers::{TestApp, spawn_app};
use crate::pages_client::{Http, Reply, input_value};

const ROOT: &str = "13800000000";
const SPONSOR: &str = "13800000001";
/// A customer of the mall who is not a member yet: the phone a squatter would claim.
const CUSTOMER: &str = "13900000007";
const PASSWORD: &str = "correct horse battery";

/// A scheme with a root and a sponsor, who has a password.
async fn scheme() -> TestApp {
    let app = spawn_app().await;
    app.member(ROOT, None).await;
    let created = app.post("/api/v1/members", json!({"phone": SPONSOR, "sponsor_phone": ROOT, "password": PASSWORD})).await;
    assert_eq!(created.status, 201, "{}", created.body);
    app
}

async fn invitation_code(app: &TestApp, who: &str) -> String {
    app.summary(who).await["invitation_code"].as_str().expect("an invitation code").to_string()
}

/// The page's double-submit token (its cookie and its hidden field agree).
async fn form_token(http: &Http, path: &str) -> String {
    let page = http.get(path, &[]).await;
    assert_eq!(page.status, 200, "{path}: {}", page.body);
    let token = page.cookie("gp_member_form").expect("the form sets its token cookie");
    assert_eq!(input_value(&page.body, "csrf").as_deref(), Some(token.as_str()));
    token
}

/// Posts the registration form of the invitation link `link` to `path` as a browser does.
async fn post_form(http: &Http, path: &str, link: &str, fields: &[(&str, &str)]) -> Reply {
    let token = form_token(http, &format!("/register?code={link}")).await;
    let mut all = vec![("csrf", token.as_str()), ("invitation", link)];
    all.extend_from_slice(fields);
    http.post(path, &[("gp_member_form", &token)], &all).await
}

/// The "send code" button.
async fn send_code(http: &Http, link: &str, phone: &str) -> Reply {
    post_form(http, "/register/code", link, &[("phone", phone), ("name", "小王")]).await
}

/// The full submit.
async fn register(http: &Http, link: &str, phone: &str, code: &str) -> Reply {
    let fields = [("phone", phone), ("code", code), ("password", PASSWORD), ("password_again", PASSWORD), ("name", "小王")];
    post_form(http, "/register", link, &fields).await
}

async fn messages_to(app: &TestApp, who: &str) -> Vec<sms::SmsRow> {
    sms::outbox(&app.graph, None, 1000).await.unwrap().into_iter().filter(|m| m.phone == who).collect()
}

/// Waits for the registration code sent to `who` (the sender works in the background).
async fn code_sent_to(app: &TestApp, who: &str) -> String {
    for _ in 0..100 {
        if let Some(message) = messages_to(app, who).await.into_iter().find(|m| m.purpose == "register") {
            let code = message.text.split(|c: char| !c.is_ascii_digit()).find(|run| run.len() == 6).expect("a 6-digit code");
            return code.to_string();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no registration code for {who} in the outbox");
}

fn another_code(code: &str) -> String {
    format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000)
}

async fn is_member(app: &TestApp, who: &str) -> bool {
    app.get(&format!("/api/v1/members/{who}")).await.status == 200
}

async fn registrations(app: &TestApp) -> Vec<(String, String, String)> {
    let entries = audit::list(&app.graph, None, 100).await.unwrap();
    entries.into_iter().filter(|e| e.action == "member.register").map(|e| (e.actor, e.target, e.detail)).collect()
}

#[tokio::test]
async fn registering_a_customer_s_phone_without_the_code_sent_to_it_is_refused_and_creates_nothing() {
    let app = scheme().await;
    let http = Http::new(&app);
    let link = invitation_code(&app, SPONSOR).await;
    let before = registrations(&app).await.len();

    // Without any code, as the page took it before; with a made-up one; with none sent at all.
    let without = post_form(&http, "/register", &link, &[("phone", CUSTOMER), ("password", PASSWORD), ("password_again", PASSWORD)]).await;
    let guessed = register(&http, &link, CUSTOMER, "123456").await;
    // A code sent to the customer's phone, which the squatter does not see.
    assert_eq!(send_code(&http, &link, CUSTOMER).await.status, 200);
    let code = code_sent_to(&app, CUSTOMER).await;
    let still_guessing = register(&http, &link, CUSTOMER, &another_code(&code)).await;
    for reply in [&without, &guessed, &still_guessing] {
        assert_eq!(reply.status, 422, "{}", reply.body);
        assert!(reply.body.contains("验证码不正确"), "{}", reply.body);
        assert!(reply.cookie("gp_member").is_none(), "no session");
    }
    assert!(!is_member(&app, CUSTOMER).await, "the customer's phone is still free");
    assert_eq!(app.summary(SPONSOR).await["direct_count"], 0);
    assert_eq!(registrations(&app).await.len(), before, "nothing registered, nothing audited");
}

#[tokio::test]
async fn a_wrong_code_costs_a_try_and_creates_nothing() {
    let app = scheme().await;
    let http = Http::new(&app);
    let link = invitation_code(&app, SPONSOR).await;
    assert_eq!(send_code(&http, &link, CUSTOMER).await.status, 200);
    let code = code_sent_to(&app, CUSTOMER).await;
    for _ in 0..5 {
        let wrong = register(&http, &link, CUSTOMER, &another_code(&code)).await;
        assert_eq!(wrong.status, 422, "{}", wrong.body);
        assert_eq!(input_value(&wrong.body, "phone").as_deref(), Some(CUSTOMER), "the form keeps the phone typed");
        assert!(!is_member(&app, CUSTOMER).await);
    }
    let right_too_late = register(&http, &link, CUSTOMER, &code).await;
    assert_eq!(right_too_late.status, 422, "five wrong tries used the code up: {}", right_too_late.body);
    assert!(!is_member(&app, CUSTOMER).await);
    assert!(registrations(&app).await.iter().all(|(_, target, _)| target != CUSTOMER));
}

#[tokio::test]
async fn the_right_code_registers_the_member_under_the_code_s_owner() {
    let app = scheme().await;
    let http = Http::new(&app);
    let link = invitation_code(&app, SPONSOR).await;
    let form = http.get(&format!("/register?code={link}"), &[]).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("138****0001"), "the page names the sponsor, masked");
    assert!(!form.body.contains(SPONSOR), "never in full");
    assert!(form.body.contains(r#"formaction="/register/code""#), "a send-code button that works without JavaScript");

    let sent = send_code(&http, &link, CUSTOMER).await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert!(sent.body.contains("验证码已发出"), "{}", sent.body);
    assert_eq!(input_value(&sent.body, "phone").as_deref(), Some(CUSTOMER), "the form comes back with what was typed");
    assert_eq!(input_value(&sent.body, "name").as_deref(), Some("小王"));
    assert_eq!(input_value(&sent.body, "invitation").as_deref(), Some(link.as_str()));
    let code = code_sent_to(&app, CUSTOMER).await;
    assert!(messages_to(&app, CUSTOMER).await[0].text.contains("注册"), "the message says what the code is for");

    let registered = register(&http, &link, CUSTOMER, &code).await;
    assert_eq!((registered.status, registered.location.as_str()), (303, "/"), "{}", registered.body);
    assert!(registered.cookie("gp_member").is_some(), "registration logs the member in");
    let member = app.summary(CUSTOMER).await;
    assert_eq!(member["sponsor_phone"], SPONSOR, "under the owner of the invitation code");
    assert_eq!(member["name"], "小王");
    assert_ne!(member["invitation_code"].as_str(), Some(link.as_str()), "with an invitation code of its own");
    assert_eq!(app.summary(SPONSOR).await["direct_count"], 1);
    let (actor, target, detail) = registrations(&app).await.remove(0);
    assert_eq!((actor.as_str(), target.as_str()), (format!("member:{CUSTOMER}").as_str(), CUSTOMER));
    let said = greenpoints::domain::audit::Detail::parse(&detail).expect("a detail with fields");
    assert_eq!(said.sponsor.as_deref(), Some(SPONSOR), "{said:?}");
    assert_eq!(said.invitation.as_deref(), Some(link.as_str()), "{said:?}");
    assert_eq!(said.via, Some(greenpoints::domain::audit::Via::InvitationPage), "{said:?}");
    assert!(said.client.is_some(), "{said:?}");
    assert!(!detail.contains(&code), "no SMS code in the audit log");

    let again = register(&http, &link, CUSTOMER, &code).await;
    assert_eq!(again.status, 409, "the phone is taken now: {}", again.body);
}

#[tokio::test]
async fn a_registered_phone_gets_no_code_and_the_same_answer_and_then_phone_taken() {
    let app = scheme().await;
    let http = Http::new(&app);
    let link = invitation_code(&app, SPONSOR).await;
    let to_member = send_code(&http, &link, SPONSOR).await;
    let to_customer = send_code(&http, &link, CUSTOMER).await;
    assert_eq!(to_member.status, to_customer.status);
    let blank = |reply: &Reply, phone: &str| {
        let token = input_value(&reply.body, "csrf").unwrap();
        reply.body.replace(&token, "TOKEN").replace(phone, "PHONE")
    };
    assert_eq!(blank(&to_member, SPONSOR), blank(&to_customer, CUSTOMER), "the page does not tell a member's phone");
    code_sent_to(&app, CUSTOMER).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(messages_to(&app, SPONSOR).await.is_empty(), "no registration code goes to a registered phone");

    let taken = register(&http, &link, SPONSOR, "123456").await;
    assert_eq!(taken.status, 409, "{}", taken.body);
    assert!(taken.body.contains("该手机号已注册"));

    let too_soon = send_code(&http, &link, CUSTOMER).await;
    assert_eq!(too_soon.status, 429, "one code a minute, as for every code: {}", too_soon.body);
}

#[tokio::test]
async fn an_unknown_invitation_code_is_refused() {
    let app = scheme().await;
    let http = Http::new(&app);
    let link = invitation_code(&app, SPONSOR).await;
    for path in ["/register?code=ZZZZZZZZ", "/register?code=not-a-code", "/register"] {
        let page = http.get(path, &[]).await;
        assert_eq!(page.status, 404, "{path}");
        assert!(page.body.contains("邀请链接无效"), "{path}: {}", page.body);
        assert!(!page.body.contains(r#"name="password""#), "{path}: no form");
    }
    // The form of a real link, posted with another code.
    let token = form_token(&http, &format!("/register?code={link}")).await;
    let fields = [("csrf", token.as_str()), ("invitation", "ZZZZZZZZ"), ("phone", CUSTOMER)];
    let code = http.post("/register/code", &[("gp_member_form", &token)], &fields).await;
    assert_eq!(code.status, 422);
    assert!(code.body.contains("邀请链接无效"));
    let fields = [
        ("csrf", token.as_str()),
        ("invitation", "ZZZZZZZZ"),
        ("phone", CUSTOMER),
        ("code", "123456"),
        ("password", PASSWORD),
        ("password_again", PASSWORD),
    ];
    let submit = http.post("/register", &[("gp_member_form", &token)], &fields).await;
    assert_eq!(submit.status, 422);
    assert!(submit.body.contains("邀请链接无效"));
    assert!(messages_to(&app, CUSTOMER).await.is_empty(), "no code for an unknown invitation");
    assert!(!is_member(&app, CUSTOMER).await);
    // The code reads as people type it.
    assert_eq!(http.get(&format!("/register?code={}", link.to_lowercase()), &[]).await.status, 200);

    // Codes cannot be tried without limit: each that names nobody costs the address's
    // registration budget (20 an hour), as every look at a link does.
    let mut statuses = Vec::new();
    for i in 0..20 {
        let guess = format!("ZZZZZZ{i:02}");
        let fields = [("csrf", token.as_str()), ("invitation", guess.as_str()), ("phone", CUSTOMER)];
        statuses.push(http.post("/register/code", &[("gp_member_form", &token)], &fields).await.status);
    }
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    assert_eq!(http.get(&format!("/register?code={link}"), &[]).await.status, 429, "the link's page waits too");
}

#[tokio::test]
async fn the_old_sponsor_link_does_not_register() {
    let app = scheme().await;
    let http = Http::new(&app);
    let old = http.get(&format!("/register?sponsor={SPONSOR}"), &[]).await;
    assert_eq!(old.status, 410);
    assert!(old.body.contains("该邀请链接已停用"), "{}", old.body);
    assert!(!old.body.contains(r#"name="password""#), "no form");
    assert!(!old.body.contains("138****0001"), "it names nobody");

    // The old form's fields, posted with a token from a real link's page.
    let token = form_token(&http, &format!("/register?code={}", invitation_code(&app, SPONSOR).await)).await;
    let fields =
        [("csrf", token.as_str()), ("sponsor", SPONSOR), ("phone", CUSTOMER), ("password", PASSWORD), ("password_again", PASSWORD)];
    let posted = http.post("/register", &[("gp_member_form", &token)], &fields).await;
    assert_eq!(posted.status, 422, "{}", posted.body);
    assert!(!is_member(&app, CUSTOMER).await);
}

/// The server over `app`'s database with this public address.
fn serve_with_public_url(app: &TestApp, public_url: &str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let settings = Settings { public_url: Some(public_url.to_string()), ..Default::default() };
    tokio::spawn(http::serve(listener, Application::build(app.graph.clone(), settings)).unwrap());
    address
}

#[tokio::test]
async fn the_dashboard_shows_the_invitation_link_with_the_code_and_its_qr_code() {
    let app = scheme().await;
    let link = invitation_code(&app, SPONSOR).await;
    let cookie =
        greenpoints::http::session::open(&app.graph, greenpoints::http::session::Kind::Member, SPONSOR, chrono::Utc::now()).await.unwrap();
    let cookie = format!("{}={}", cookie.name(), cookie.value());
    let client = crate::pages_client::client_builder().build().unwrap();
    let dashboard = |base: String, cookie: String| {
        let client = client.clone();
        async move {
            let page = client.get(format!("{base}/")).header("cookie", cookie).send().await.unwrap();
            assert_eq!(page.status(), 200);
            page.text().await.unwrap()
        }
    };

    let page = dashboard(app.address.clone(), cookie.clone()).await;
    let expected = format!("{}/register?code={link}", app.address);
    assert!(page.contains(&format!(r#"id="invitation" readonly value="{expected}""#)), "the link on the request's host: {page}");
    assert!(page.contains(&format!(r#"<strong id="invitation-code">{link}</strong>"#)));
    let qr = &page[page.find(r#"id="invitation-qr""#).expect("the QR code")..];
    assert!(qr.contains("<svg") && qr.contains("</svg>") && qr.contains("<path"), "drawn inline as SVG: {qr}");
    assert!(!page.contains("<?xml") && !page.contains("sponsor="));
    assert!(!page.contains(r#"<img"#), "nothing to fetch");

    let behind_proxy = serve_with_public_url(&app, "https://points.example.com/");
    // Behind https the browser holds the session as `__Host-gp_member`.
    let page = dashboard(behind_proxy, format!("__Host-{cookie}")).await;
    let expected = format!("https://points.example.com/register?code={link}");
    assert!(page.contains(&format!(r#"id="invitation" readonly value="{expected}""#)), "the link on the configured public address");

    let english = client.get(format!("{}/", app.address)).header("cookie", format!("{cookie}; gp_lang=en")).send().await.unwrap();
    assert!(english.text().await.unwrap().contains("Invitation code"));
}

#[tokio::test]
async fn the_invitation_code_is_in_the_api_answers() {
    let app = scheme().await;
    let created = app.post("/api/v1/members", json!({"phone": CUSTOMER, "sponsor_phone": SPONSOR})).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let code = created.body["invitation_code"].as_str().expect("in the registration's answer").to_string();
    assert_eq!(code.len(), 8);
    assert!(code.bytes().all(|b| b"0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(&b)), "Crockford base32: {code}");
    assert_eq!(app.summary(CUSTOMER).await["invitation_code"], code.as_str(), "the same in the member's summary");
    let codes = [invitation_code(&app, ROOT).await, invitation_code(&app, SPONSOR).await, code.clone()];
    assert!(codes[0] != codes[1] && codes[1] != codes[2] && codes[0] != codes[2], "{codes:?}");

    let http = Http::new(&app);
    let login = http.api("/auth/login", &[], json!({"phone": SPONSOR, "password": PASSWORD})).await;
    assert_eq!(login.status, 200, "{}", login.body);
    let session = login.cookie("gp_member").expect("a session");
    let me = http.get("/api/v1/me", &[("gp_member", &session)]).await.json();
    assert_eq!(me["invitation_code"], codes[1].as_str());
    assert_eq!(me["invitation_path"], format!("/register?code={}", codes[1]));

    let document = app.get("/api/v1/openapi.json").await.body;
    for schema in ["MemberView", "MeView"] {
        assert!(document["components"]["schemas"][schema].to_string().contains(r#""invitation_code""#), "{schema} documents it");
    }
}

#[tokio::test]
async fn members_stored_before_invitation_codes_get_one_at_the_schema_and_on_first_read() {
    let app = scheme().await;
    app.member(CUSTOMER, Some(SPONSOR)).await;
    let strip = "MATCH (m:Member) REMOVE m.invitation_code";
    app.graph.run(neo4rs::query(strip)).await.unwrap();
    app.graph.run(neo4rs::query("MATCH (b:Backfill) DELETE b")).await.unwrap();

    schema::apply(&app.graph, chrono::Utc::now().timestamp_millis()).await.unwrap();
    let codes = [invitation_code(&app, ROOT).await, invitation_code(&app, SPONSOR).await, invitation_code(&app, CUSTOMER).await];
    assert!(codes.iter().all(|c| c.len() == 8), "{codes:?}");
    assert!(codes[0] != codes[1] && codes[1] != codes[2] && codes[0] != codes[2], "{codes:?}");
    schema::apply(&app.graph, chrono::Utc::now().timestamp_millis()).await.unwrap();
    assert_eq!(invitation_code(&app, SPONSOR).await, codes[1], "applying the schema again changes no code");

    // A member an older server stored after the backfill: its code comes with its first read, once.
    app.graph.run(neo4rs::query("MATCH (m:Member {phone: $phone}) REMOVE m.invitation_code").param("phone", CUSTOMER)).await.unwrap();
    let given = invitation_code(&app, CUSTOMER).await;
    assert_eq!(given.len(), 8);
    assert_eq!(invitation_code(&app, CUSTOMER).await, given, "stored: the next read gives the same");
    let phone = greenpoints::domain::phone::Phone::parse(CUSTOMER).unwrap();
    let code = greenpoints::domain::invitation::InvitationCode::parse(&given).unwrap();
    assert_eq!(members::by_invitation_code(&app.graph, &code).await.unwrap().as_deref(), Some(phone.as_str()));
}

#[tokio::test]
async fn a_seeded_network_gives_every_member_its_own_invitation_code() {
    let app = spawn_app().await;
    let network = greenpoints::domain::network::Network::generate(300, 11, 3, chrono::Utc::now().timestamp_millis());
    greenpoints::graph::seed::write_members(&app.graph, &network, |_| ()).await.unwrap();
    #[derive(serde::Deserialize)]
    struct Codes {
        members: i64,
        codes: i64,
        different: i64,
    }
    let count =
        "MATCH (m:Member) RETURN count(m) AS members, count(m.invitation_code) AS codes, count(DISTINCT m.invitation_code) AS different";
    let codes: Codes = app.graph.row(neo4rs::query(count)).await.unwrap().unwrap();
    assert_eq!((codes.members, codes.codes, codes.different), (300, 300, 300));
    let someone = network.members[42].phone.as_str();
    let link = invitation_code(&app, someone).await;
    let page = Http::new(&app).get(&format!("/register?code={link}"), &[]).await;
    assert_eq!(page.status, 200, "a seeded member's link opens the form");
}
