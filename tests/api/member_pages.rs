//! The member portal's own views (`/`, `/team`, `/statements`, `/withdrawals`), driven over HTTP
//! as a phone's browser without JavaScript would: the member's session cookie, forms with the
//! session's CSRF token, redirects looked at rather than followed.
use chrono::Utc;
use greenpoints::http::session::{self, Kind};
use serde_json::json;

use crate::helpers::{TestApp, at, day, spawn_app};
use crate::pages_client::{Reply, chinese_in, client_builder, input_value, visible_text};

pub const A: &str = "13800000001";
pub const B: &str = "13800000002";
pub const C: &str = "13800000003";
pub const D: &str = "13800000004";
pub const E: &str = "13800000005";
/// A member outside A's network of orders: no statement, no team.
pub const X: &str = "13900000009";

/// A member's browser: the member's session cookie on every request, redirects not followed.
pub struct Portal {
    client: reqwest::Client,
    base: String,
    cookie: String,
}

impl Portal {
    /// Opens a member session directly (the login page is another helper's work).
    pub async fn of(app: &TestApp, phone: &str) -> Portal {
        let cookie = session::open(&app.graph, Kind::Member, phone, Utc::now()).await.unwrap();
        Portal::with_cookie(app, format!("{}={}", cookie.name(), cookie.value()))
    }

    /// A browser without any session.
    pub fn anonymous(app: &TestApp) -> Portal {
        Portal::with_cookie(app, String::new())
    }

    fn with_cookie(app: &TestApp, cookie: String) -> Portal {
        let client = client_builder().build().unwrap();
        Portal { client, base: app.address.clone(), cookie }
    }

    pub fn cookie(&self) -> &str {
        &self.cookie
    }

    async fn send(&self, mut request: reqwest::RequestBuilder) -> Reply {
        if !self.cookie.is_empty() {
            request = request.header("cookie", &self.cookie);
        }
        Reply::of(request).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(self.client.get(format!("{}{path}", self.base))).await
    }

    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        self.send(self.client.post(format!("{}{path}", self.base)).form(fields)).await
    }
}

/// The value of the first input named `name`, which the page must have.
fn value_of(html: &str, name: &str) -> String {
    input_value(html, name).unwrap_or_else(|| panic!("no input {name} with a value in {html}"))
}

/// The text of the element with this attribute (`id="pool"`, `data-kind="static"`), tags stripped.
fn text_of(html: &str, attribute: &str) -> String {
    let at = html.find(attribute).unwrap_or_else(|| panic!("no element with {attribute}"));
    let start = at + html[at..].find('>').unwrap() + 1;
    let mut depth = 0;
    let mut text = String::new();
    let mut rest = &html[start..];
    while !rest.is_empty() {
        if rest.starts_with("</") {
            if depth == 0 {
                break;
            }
            depth -= 1;
            rest = &rest[rest.find('>').unwrap() + 1..];
        } else if rest.starts_with('<') {
            depth += 1;
            rest = &rest[rest.find('>').unwrap() + 1..];
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            text.push_str(&rest[..end]);
            rest = &rest[end..];
        }
    }
    text.trim().to_string()
}

/// SPEC §3, worked example 2: A sponsors B, each buys for 3000 two days ago; yesterday is settled.
/// Each releases 36.00; A's share income is 50% × 36 = 18.00, out of A's own 7500 points.
pub async fn example_two(app: &TestApp) {
    app.member(A, None).await;
    app.member(B, Some(A)).await;
    app.order("a-1", A, "3000.00", &at(2, "10:00")).await;
    app.order("b-1", B, "3000.00", &at(2, "11:00")).await;
    assert_eq!(app.settle(&day(1)).await, vec![day(1)]);
}

/// A chain A → B → C → D → E (E is four generations below A).
async fn chain(app: &TestApp) {
    app.member(A, None).await;
    app.member(B, Some(A)).await;
    app.member(C, Some(B)).await;
    app.member(D, Some(C)).await;
    app.member(E, Some(D)).await;
}

#[tokio::test]
async fn the_dashboard_shows_the_balances_income_by_kind_tier_progress_and_team_volume_after_a_settlement() {
    let app = spawn_app().await;
    example_two(&app).await;
    // B pays part of a small order today with points: A's team volume is split cash / points.
    let answer = app
        .post(
            "/api/v1/orders",
            json!({ "order_id": "b-2", "phone": B, "amount": "60.00", "points_paid": "30.00", "paid_at": at(0, "00:00") }),
        )
        .await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    app.fold_teams().await;

    let home = Portal::of(&app, A).await.get("/").await;
    assert_eq!(home.status, 200, "{}", home.body);
    let b = &home.body;
    assert_eq!(text_of(b, r#"id="pool""#), "7,446.00", "7500 less 36 released and 18 paid out as share income");
    assert_eq!(text_of(b, r#"id="available""#), "54.00");
    assert_eq!(text_of(b, r#"id="frozen""#), "0.00");
    assert!(b.contains(&day(1)), "the income is that of the latest settled day, dated");
    assert_eq!(text_of(b, r#"data-kind="static""#), "36.00");
    assert_eq!(text_of(b, r#"data-kind="share_g1""#), "18.00");
    assert_eq!(text_of(b, r#"data-kind="share_g2""#), "0.00");
    assert_eq!(text_of(b, r#"data-kind="team""#), "0.00");
    assert_eq!(text_of(b, r#"data-kind="peer""#), "0.00");
    assert_eq!(text_of(b, r#"data-kind="total""#), "54.00");
    assert!(!b.contains(r#"data-kind="forfeited""#), "nothing was forfeited, so no forfeit line");
    assert_eq!(text_of(b, r#"id="level""#), "初级");
    assert_eq!(text_of(b, r#"id="tier""#), "无等级");
    assert!(text_of(b, r#"id="progress""#).starts_with("青铜: 46,940.00"), "50,000 less a team volume of 3,060");
    assert_eq!(text_of(b, r#"id="team-volume""#), "3,060.00");
    assert_eq!(text_of(b, r#"id="team-volume-cash""#), "3,030.00");
    assert_eq!(text_of(b, r#"id="team-volume-points""#), "30.00");
    assert_eq!(text_of(b, r#"id="team-size""#), "1");
    assert_eq!(text_of(b, r#"id="direct-count""#), "1");
    let label = &day(1)[5..];
    assert!(b.contains(&format!("<title>{label}：54.00</title>")), "the chart has the settled day's bar: {b}");
    assert!(value_of(b, "csrf").len() > 20);
    let code = app.summary(A).await["invitation_code"].as_str().expect("an invitation code").to_string();
    assert!(b.contains(&format!("/register?code={code}")), "the invitation link carries the member's invitation code");
    assert!(!b.contains("sponsor="), "and no longer the phone");
    assert!(b.contains(r#"<a href="/password" id="change-password">修改密码 ›</a>"#), "the password change is one tap away");
    assert!(!b.contains(B), "no other member's phone in full");

    let sponsored = Portal::of(&app, B).await.get("/").await;
    assert_eq!(text_of(&sponsored.body, r#"id="pool""#), "7,464.00");
    assert_eq!(text_of(&sponsored.body, r#"id="available""#), "6.00", "36 released, 30 spent on today's order");
    assert_eq!(text_of(&sponsored.body, r#"data-kind="share_g1""#), "0.00");
}

#[tokio::test]
async fn the_team_page_lists_three_generations_with_masked_phones_and_no_balances() {
    let app = spawn_app().await;
    chain(&app).await;
    app.order("c-1", C, "9000.00", &at(1, "09:00")).await;
    let portal = Portal::of(&app, A).await;
    app.fold_teams().await;

    let team = portal.get("/team").await;
    assert_eq!(team.status, 200, "{}", team.body);
    let b = &team.body;
    assert_eq!(b.matches(r#"class="team-member""#).count(), 3, "B, C and D: E is four generations down");
    for masked in ["138****0002", "138****0003", "138****0004"] {
        assert!(b.contains(masked), "{masked} is listed");
    }
    for phone in [B, C, D, E] {
        assert!(!b.contains(phone), "{phone} never appears in full");
    }
    assert_eq!(text_of(b, r#"id="team-size""#), "4", "the team size counts every generation");
    assert!(b.contains("9,000.00"), "B's team volume (C's order) is shown");
    for balance in ["可用积分", "积分池", "冻结积分"] {
        assert!(!b.contains(balance), "no balances on the team page ({balance})");
    }

    let second = portal.get("/team?generation=2").await;
    assert_eq!(second.body.matches(r#"class="team-member""#).count(), 1);
    assert!(second.body.contains("138****0003"));
}

#[tokio::test]
async fn the_team_page_pages_through_the_downline_without_naming_anyone_in_its_links() {
    let app = spawn_app().await;
    app.member(A, None).await;
    for n in 10..45 {
        app.member(&format!("137000000{n}"), Some(A)).await;
    }
    let portal = Portal::of(&app, A).await;
    let first = portal.get("/team").await;
    assert_eq!(first.body.matches(r#"class="team-member""#).count(), 30);
    let at = first.body.find(r#"id="next-page""#).expect("a next page");
    let link = first.body[..at].rsplit("href=\"").next().unwrap().split('"').next().unwrap().replace("&amp;", "&");
    assert_eq!(link, "/team?from=30");
    let second = portal.get(&link).await;
    assert_eq!(second.body.matches(r#"class="team-member""#).count(), 5);
    assert!(second.body.contains("137****0044"));
    assert!(!second.body.contains(r#"id="next-page""#));
}

#[tokio::test]
async fn a_member_cannot_reach_another_member_s_team_through_the_query() {
    let app = spawn_app().await;
    chain(&app).await;
    // B asks for its upline's team: the page is B's own team, A is not in it.
    let team = Portal::of(&app, B).await.get(&format!("/team?under={A}&phone={A}")).await;
    assert_eq!(team.status, 200, "{}", team.body);
    assert_eq!(team.body.matches(r#"class="team-member""#).count(), 3, "C, D and E below B");
    assert!(!team.body.contains("138****0001"), "A is not in B's team");
}

#[tokio::test]
async fn a_statement_lists_the_sources_of_share_income_by_masked_branch() {
    let app = spawn_app().await;
    example_two(&app).await;
    let portal = Portal::of(&app, A).await;

    let list = portal.get("/statements").await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains(&format!(r#"href="/statements/{}""#, day(1))));
    assert!(list.body.contains("54.00"));

    let statement = portal.get(&format!("/statements/{}", day(1))).await;
    assert_eq!(statement.status, 200, "{}", statement.body);
    let b = &statement.body;
    assert_eq!(text_of(b, r#"data-kind="static""#), "36.00");
    assert_eq!(text_of(b, r#"data-kind="share_g1""#), "18.00");
    assert_eq!(b.matches(r#"class="card source""#).count(), 1, "one branch: B");
    assert!(b.contains(r#"<span class="phone">138****0002</span>"#), "the branch is B, masked");
    assert!(b.contains("36.00 → 分享一代 18.00"), "B's release of 36.00 gave A 18.00 of share income: {b}");
    assert!(!b.contains(B));
}

#[tokio::test]
async fn another_member_s_statement_day_answers_not_found() {
    let app = spawn_app().await;
    example_two(&app).await;
    app.member(X, Some(A)).await;
    let outsider = Portal::of(&app, X).await;
    for path in [format!("/statements/{}", day(1)), format!("/statements/{}?phone={A}", day(1)), "/statements/yesterday".to_string()] {
        let answer = outsider.get(&path).await;
        assert_eq!(answer.status, 404, "{path}: {}", answer.body);
        assert!(!answer.body.contains("36.00"), "{path} shows nothing of A's statement");
        assert!(answer.body.contains(r#"<a href="/">我的</a>"#), "{path}: the error page links to the portal: {}", answer.body);
        assert!(!answer.body.contains(r#"href="/admin""#), "{path}: and not to the admin console");
    }
    let list = outsider.get(&format!("/statements?phone={A}")).await;
    assert_eq!(list.status, 200);
    assert!(!list.body.contains("statement-link"), "X has no statements, whoever it names");
}

async fn with_points(app: &TestApp, phone: &str, amount: &str) {
    let answer = app.post(&format!("/api/v1/members/{phone}/adjustments"), json!({ "amount": amount, "reason": "test" })).await;
    assert_eq!(answer.status, 201, "{}", answer.body);
}

#[tokio::test]
async fn a_withdrawal_posted_twice_with_the_same_key_moves_available_to_frozen_once() {
    let app = spawn_app().await;
    app.member(A, None).await;
    with_points(&app, A, "+500.00").await;
    app.payout_account(A).await;
    let portal = Portal::of(&app, A).await;
    let form = portal.get("/withdrawals").await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert_eq!(text_of(&form.body, r#"id="available""#), "500.00");
    assert_eq!(text_of(&form.body, r#"id="minimum""#), "100.00");
    let (csrf, key) = (value_of(&form.body, "csrf"), value_of(&form.body, "idempotency_key"));
    let fields = [("csrf", csrf.as_str()), ("idempotency_key", key.as_str()), ("amount", "150.00")];

    for _ in 0..2 {
        let sent = portal.post("/withdrawals", &fields).await;
        assert_eq!((sent.status, sent.location.as_str()), (303, "/withdrawals?done=withdrawal"), "{}", sent.body);
    }
    let summary = app.summary(A).await;
    assert_eq!((summary["available"].as_str(), summary["frozen"].as_str()), (Some("350.00"), Some("150.00")));
    let after = portal.get("/withdrawals?done=withdrawal").await;
    assert!(after.body.contains(r#"id="withdraw-done""#));
    assert_eq!(after.body.matches(r#"class="withdrawal""#).count(), 1, "one withdrawal");
    assert!(after.body.contains(r#"data-status="requested""#));
    assert_ne!(value_of(&after.body, "idempotency_key"), key, "the next form has a key of its own");
}

#[tokio::test]
async fn a_refused_withdrawal_is_explained_next_to_the_amount_and_changes_nothing() {
    let app = spawn_app().await;
    app.member(A, None).await;
    with_points(&app, A, "+500.00").await;
    app.payout_account(A).await;
    let portal = Portal::of(&app, A).await;
    let form = portal.get("/withdrawals").await;
    let (csrf, key) = (value_of(&form.body, "csrf"), value_of(&form.body, "idempotency_key"));

    for (amount, code, reason) in [
        ("50.00", "below_withdrawal_min", "低于最低提现金额 100.00"),
        ("600.00", "insufficient_points", "可用积分不足。"),
        ("12.345", "too_many_decimals", "请输入大于 0、最多两位小数的金额。"),
        ("abc", "invalid_amount", "请输入大于 0、最多两位小数的金额。"),
    ] {
        let fields = [("csrf", csrf.as_str()), ("idempotency_key", key.as_str()), ("amount", amount)];
        let refused = portal.post("/withdrawals", &fields).await;
        assert_eq!(refused.status, 422, "{amount}: {}", refused.body);
        assert_eq!(text_of(&refused.body, &format!(r#"data-code="{code}""#)), reason, "{amount}");
        assert_eq!(value_of(&refused.body, "amount"), amount, "the amount typed is kept");
        assert_eq!(value_of(&refused.body, "idempotency_key"), key, "the unused key is kept for the corrected form");
    }
    let summary = app.summary(A).await;
    assert_eq!((summary["available"].as_str(), summary["frozen"].as_str()), (Some("500.00"), Some("0.00")));
    assert!(!portal.get("/withdrawals").await.body.contains(r#"class="withdrawal""#), "no withdrawal was made");

    let forged = portal.post("/withdrawals", &[("csrf", "forged"), ("idempotency_key", "k"), ("amount", "150.00")]).await;
    assert_eq!(forged.status, 403, "a form without the session's token changes nothing");
    assert_eq!(app.summary(A).await["frozen"], "0.00");
}

#[tokio::test]
async fn a_member_sets_its_bank_card_with_its_password_sees_it_masked_and_reads_why_a_withdrawal_was_rejected() {
    const PASSWORD: &str = "correct horse battery";
    let app = spawn_app().await;
    let created = app.post("/api/v1/members", json!({"phone": A, "sponsor_phone": null, "password": PASSWORD})).await;
    assert_eq!(created.status, 201, "{}", created.body);
    with_points(&app, A, "+500.00").await;
    let portal = Portal::of(&app, A).await;
    let page = portal.get("/withdrawals").await;
    assert!(
        page.body.contains(r#"id="account-form""#) && !page.body.contains(r#"id="withdraw-form""#),
        "no request form before an account"
    );
    let csrf = value_of(&page.body, "csrf");
    let unasked = portal.post("/withdrawals", &[("csrf", &csrf), ("idempotency_key", "k"), ("amount", "150.00")]).await;
    assert_eq!(unasked.status, 422);
    assert!(unasked.body.contains(r#"data-code="payout_account_required""#), "{}", unasked.body);

    let card = |number: &'static str, password: &'static str| {
        [("kind", "bank_card"), ("real_name", "张三"), ("bank", "中国银行"), ("number", number), ("password", password)]
    };
    let send = |fields: [(&'static str, &'static str); 5]| {
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend(fields);
        all
    };
    let bad_digit = portal.post("/withdrawals/account", &send(card("6222021234567890127", PASSWORD))).await;
    assert_eq!(bad_digit.status, 400, "{}", bad_digit.body);
    assert!(bad_digit.body.contains(r#"data-code="invalid_card_number""#), "{}", bad_digit.body);
    assert_eq!(value_of(&bad_digit.body, "real_name"), "张三", "what was typed is kept");
    assert!(!bad_digit.body.contains(PASSWORD), "but never the password");
    let wrong_password = portal.post("/withdrawals/account", &send(card(crate::helpers::CARD, "not my password"))).await;
    assert_eq!(wrong_password.status, 401, "{}", wrong_password.body);
    assert_eq!(app.get(&format!("/api/v1/members/{A}/payout-account")).await.status, 404, "nothing kept");

    let saved = portal.post("/withdrawals/account", &send(card(crate::helpers::CARD, PASSWORD))).await;
    assert_eq!((saved.status, saved.location.as_str()), (303, "/withdrawals?done=account"), "{}", saved.body);
    let page = portal.get("/withdrawals?done=account").await.body;
    assert!(page.contains(r#"id="account-done""#));
    assert_eq!(text_of(&page, r#"id="account""#), "张* · 中国银行 ···· 0128");
    assert!(!page.contains(crate::helpers::CARD), "never the whole number");
    let key = value_of(&page, "idempotency_key");
    let asked = portal.post("/withdrawals", &[("csrf", &csrf), ("idempotency_key", &key), ("amount", "150.00")]).await;
    assert_eq!(asked.status, 303, "{}", asked.body);

    let id = app.get("/api/v1/withdrawals?status=requested").await.body["items"][0]["id"].as_str().unwrap().to_string();
    let rejected = app.post(&format!("/api/v1/withdrawals/{id}/reject"), json!({"reason": "户名与实名不符"})).await;
    assert_eq!(rejected.status, 200, "{}", rejected.body);
    let page = portal.get("/withdrawals").await.body;
    assert!(visible_text(&page).contains("驳回原因：户名与实名不符"), "{page}");
    assert!(visible_text(&page).contains("张* · 中国银行 ···· 0128"), "{page}");
}

#[tokio::test]
async fn a_new_member_is_greeted_by_name_and_told_how_points_are_earned_until_it_has_some() {
    let app = spawn_app().await;
    let created = app.post("/api/v1/members", json!({"phone": A, "sponsor_phone": null, "name": "小明"})).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let portal = Portal::of(&app, A).await;
    let first = portal.get("/").await.body;
    assert_eq!(text_of(&first, r#"id="greeting""#), "您好，小明");
    let how = visible_text(&first[first.find(r#"id="how-to-earn""#).expect("how points are earned")..]);
    let how = how.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(how.contains("VIP 51,000.00 ×4"), "each level with its threshold and multiplier: {how}");
    assert!(how.contains("每天按订单金额的 1.2% 释放"), "the release rate in force: {how}");
    assert!(how.contains("分享一代 50%、分享二代 30%"), "the share rates in force: {how}");
    let english = Portal::with_cookie(&app, format!("{}; gp_lang=en", portal.cookie())).get("/").await.body;
    assert!(visible_text(&english).contains("which releases 1.2% of each order a day"), "{english}");
    let chinese = chinese_in(&visible_text(&english).replace("小明", ""));
    assert!(chinese.is_empty(), "the English page in English but for the member's own name: {chinese}");

    app.order("o-1", A, "3000.00", &at(2, "10:00")).await;
    assert!(!portal.get("/").await.body.contains(r#"id="how-to-earn""#), "a member with an order sees its own figures");
}

#[tokio::test]
async fn the_portal_sends_a_visitor_without_a_member_session_to_the_login_page() {
    let app = spawn_app().await;
    example_two(&app).await;
    let visitor = Portal::anonymous(&app);
    for (path, next) in [
        ("/".to_string(), "%2F".to_string()),
        ("/team".to_string(), "%2Fteam".to_string()),
        ("/statements".to_string(), "%2Fstatements".to_string()),
        (format!("/statements/{}", day(1)), format!("%2Fstatements%2F{}", day(1))),
        ("/withdrawals".to_string(), "%2Fwithdrawals".to_string()),
    ] {
        let answer = visitor.get(&path).await;
        assert_eq!((answer.status, answer.location.as_str()), (303, format!("/login?next={next}").as_str()), "{path}");
    }
    let posted = visitor.post("/withdrawals", &[("csrf", "x"), ("idempotency_key", "k"), ("amount", "150.00")]).await;
    assert_eq!(posted.status, 303);
    assert!(posted.location.starts_with("/login"));
    // An admin's session is not a member's.
    let admin = session::open(&app.graph, Kind::Admin, "admin", Utc::now()).await.unwrap();
    let as_admin = Portal::with_cookie(&app, format!("{}={}", admin.name(), admin.value())).get("/").await;
    assert_eq!(as_admin.status, 303);
}

#[tokio::test]
async fn a_sponsor_with_an_empty_pool_sees_the_share_income_it_forfeited_in_english_too() {
    let app = spawn_app().await;
    app.member(A, None).await;
    app.member(B, Some(A)).await;
    app.order("b-1", B, "3000.00", &at(2, "11:00")).await;
    app.settle(&day(1)).await;
    let portal = Portal::of(&app, A).await;

    let home = portal.get("/").await;
    assert_eq!(text_of(&home.body, r#"data-kind="share_g1""#), "0.00", "nothing to pay it from");
    assert_eq!(text_of(&home.body, r#"data-kind="forfeited""#), "18.00", "50% of B's 36.00, shown as missed");
    assert_eq!(text_of(&home.body, r#"data-kind="total""#), "0.00");
    let statement = portal.get(&format!("/statements/{}", day(1))).await;
    assert_eq!(statement.status, 200, "a statement of forfeits only is a statement: {}", statement.body);
    assert_eq!(text_of(&statement.body, r#"data-kind="forfeited""#), "18.00");
    assert!(statement.body.contains("(应得 18.00)"), "the entitlement next to what was paid");

    let english = Portal::with_cookie(&app, format!("{}; gp_lang=en", portal.cookie())).get("/").await;
    assert!(english.body.contains(r#"<html lang="en">"#));
    assert!(english.body.contains("Income of the latest settled day"));
    assert!(english.body.contains("Forfeited (pool short)"));
}

#[tokio::test]
async fn every_portal_page_speaks_only_its_reader_s_language() {
    let app = spawn_app().await;
    chain(&app).await;
    app.order("a-1", A, "60000.00", &at(3, "10:00")).await;
    app.order("b-1", B, "60000.00", &at(3, "11:00")).await;
    app.order("c-1", C, "3000.00", &at(3, "12:00")).await;
    app.settle(&day(2)).await;
    app.settle(&day(1)).await;
    let requested = app.post("/api/v1/withdrawals", json!({"phone": A, "amount": "100.00", "idempotency_key": "wd-1"})).await;
    assert_eq!(requested.status, 201, "{}", requested.body);
    let portal = Portal::of(&app, A).await;
    let pages = [
        "/".to_string(),
        "/team".into(),
        "/statements".into(),
        format!("/statements/{}", day(1)),
        "/points".into(),
        "/orders".into(),
        "/withdrawals".into(),
        "/password".into(),
    ];
    let mut found = Vec::new();
    for lang in ["zh", "en"] {
        let switched = Portal::with_cookie(&app, format!("{}; gp_lang={lang}", portal.cookie()));
        for page in &pages {
            let reply = switched.get(page).await;
            assert_eq!(reply.status, 200, "{page}: {}", reply.body);
            let text = visible_text(&reply.body);
            let other_language =
                if lang == "en" { !chinese_in(&text).is_empty() } else { text.contains("Statement") || text.contains("Withdraw") };
            if other_language {
                found.push(format!("{lang} {page}: {:?}", if lang == "en" { chinese_in(&text) } else { text.clone() }));
            }
        }
        let anonymous = Portal::with_cookie(&app, format!("gp_lang={lang}"));
        for page in ["/login", "/reset"] {
            let text = visible_text(&anonymous.get(page).await.body);
            if lang == "en" && !chinese_in(&text).is_empty() {
                found.push(format!("en {page}: {:?}", chinese_in(&text)));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// The lines of the points ledger page: (kind, what the line says).
fn ledger_lines(html: &str) -> Vec<(String, String)> {
    html.split(r#"<li class="movement" data-kind=""#)
        .skip(1)
        .map(|line| {
            let kind = line[..line.find('"').unwrap()].to_string();
            let body = &line[line.find('>').unwrap() + 1..line.find("</li>").unwrap()];
            let said = visible_text(body).split_whitespace().collect::<Vec<_>>().join(" ");
            (kind, said)
        })
        .collect()
}

#[tokio::test]
async fn the_points_ledger_shows_the_latest_first_a_withdrawal_an_adjustment_with_its_reason_and_each_day_s_release() {
    let app = spawn_app().await;
    example_two(&app).await;
    let portal = Portal::of(&app, A).await;
    assert!(portal.get("/points").await.body.contains(r#"data-kind="release""#), "yesterday's release is there");

    let adjusted = app.post(&format!("/api/v1/members/{A}/adjustments"), json!({"amount": "88.80", "reason": "活动奖励"})).await;
    assert_eq!(adjusted.status, 201, "{}", adjusted.body);
    let requested = app.post("/api/v1/withdrawals", json!({"phone": A, "amount": "100.00", "idempotency_key": "wd-1"})).await;
    assert_eq!(requested.status, 201, "{}", requested.body);

    let page = portal.get("/points").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let lines = ledger_lines(&page.body);
    let kinds: Vec<&str> = lines.iter().map(|(kind, _)| kind.as_str()).collect();
    assert_eq!(kinds, ["withdrawal_requested", "adjustment", "release"], "{lines:?}");
    assert!(lines[0].1.starts_with("申请提现 -100.00") && lines[0].1.ends_with("冻结 +100.00"), "{lines:?}");
    assert!(lines[1].1.starts_with("积分调整 +88.80") && lines[1].1.ends_with("活动奖励"), "the adjustment with its reason: {lines:?}");
    assert!(lines[2].1.starts_with(&format!("每日释放 +54.00 {}", day(1))), "{lines:?}");
    assert!(lines[2].1.ends_with("静态释放 36.00 · 分享一代 18.00"), "the release by kind: {lines:?}");
    assert!(!page.body.contains(r#"id="older""#), "one page");
    assert!(Portal::of(&app, B).await.get("/points").await.body.matches(r#"class="movement""#).count() == 1, "B sees only its own release");
}

#[tokio::test]
async fn the_points_ledger_pages_through_every_line_once() {
    let app = spawn_app().await;
    example_two(&app).await;
    for i in 0..22 {
        let adjusted =
            app.post(&format!("/api/v1/members/{A}/adjustments"), json!({"amount": "1.00", "reason": format!("r-{i:02}")})).await;
        assert_eq!(adjusted.status, 201, "{}", adjusted.body);
    }
    let portal = Portal::of(&app, A).await;
    let first = portal.get("/points").await.body;
    let older =
        first.split(r#"<a href=""#).find_map(|a| a.strip_prefix("/points?cursor=")).map(|rest| rest[..rest.find('"').unwrap()].to_string());
    let second = portal.get(&format!("/points?cursor={}", older.expect("a link to older lines"))).await.body;
    let (first, second) = (ledger_lines(&first), ledger_lines(&second));
    assert_eq!((first.len(), second.len()), (20, 3), "22 adjustments and a release");
    let mut reasons: Vec<String> = first
        .iter()
        .chain(&second)
        .filter(|(kind, _)| kind == "adjustment")
        .map(|(_, said)| said.rsplit(' ').next().unwrap().to_string())
        .collect();
    assert_eq!(reasons.len(), 22);
    reasons.sort();
    reasons.dedup();
    assert_eq!(reasons.len(), 22, "none shown twice");
    assert_eq!(second.last().map(|(kind, _)| kind.as_str()), Some("release"), "the oldest last");
}

#[tokio::test]
async fn my_orders_show_each_order_s_grant_release_remaining_pool_and_status_and_the_console_shows_the_status_too() {
    let app = spawn_app().await;
    example_two(&app).await;
    app.order("a-small", A, "100.00", &at(0, "00:00")).await;
    app.order("a-refunded", A, "3000.00", &at(0, "00:01")).await;
    assert_eq!(app.post("/api/v1/orders/a-refunded/refund", json!({})).await.status, 200);

    let page = Portal::of(&app, A).await.get("/orders").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let lines: Vec<(String, String)> = page
        .body
        .split(r#"<li class="order" data-status=""#)
        .skip(1)
        .map(|line| {
            let status = line[..line.find('"').unwrap()].to_string();
            let body = &line[line.find('>').unwrap() + 1..line.find("</li>").unwrap()];
            (status, visible_text(body).split_whitespace().collect::<Vec<_>>().join(" "))
        })
        .collect();
    let statuses: Vec<&str> = lines.iter().map(|(status, _)| status.as_str()).collect();
    assert_eq!(statuses, ["refunded", "no_grant", "releasing"], "the latest paid first: {lines:?}");
    assert!(lines[0].1.starts_with("3,000.00 已退款"), "{lines:?}");
    assert!(lines[1].1.starts_with("100.00 未达赠送级别") && lines[1].1.ends_with("赠送积分 0.00 · 已释放 0.00 · 剩余 0.00"), "{lines:?}");
    assert!(
        lines[2].1.starts_with("3,000.00 释放中") && lines[2].1.ends_with("赠送积分 7,500.00 · 已释放 54.00 · 剩余 7,446.00"),
        "its own release and its share income came out of its pool: {lines:?}"
    );
    assert!(!page.body.contains("b-1"), "only the member's own orders");
    assert!(lines[1].1.contains(&format!("计入起始日 {}", day(-1))), "paid today, it counts from tomorrow: {lines:?}");

    app.admin("admin", "admin-pass-123").await;
    let client = client_builder().cookie_store(true).build().unwrap();
    let form = Reply::of(client.get(format!("{}/admin/login", app.address))).await;
    let token = input_value(&form.body, "csrf").unwrap();
    let fields = [("csrf", token.as_str()), ("next", "/admin"), ("username", "admin"), ("password", "admin-pass-123")];
    assert_eq!(Reply::of(client.post(format!("{}/admin/login", app.address)).form(&fields)).await.status, 303);
    let console = Reply::of(client.get(format!("{}/admin/members/{A}", app.address))).await.body;
    for (status, label) in [("refunded", "已退款"), ("no_grant", "未达赠送级别"), ("releasing", "释放中")] {
        assert!(console.contains(&format!(r#"data-status="{status}">{label}</span>"#)), "{status} in the console's order table: {console}");
    }
}

#[tokio::test]
async fn a_member_s_statement_explains_each_team_differential_as_the_difference_of_two_tier_rates() {
    let app = spawn_app().await;
    let (a, ..) = crate::settlements::example_3(&app).await;
    let portal = Portal::of(&app, a).await;
    let statement = portal.get(&format!("/statements/{}", day(2))).await;
    assert_eq!(statement.status, 200, "{}", statement.body);
    let text = visible_text(&statement.body);
    assert!(text.contains("50% − 44% = 6%"), "A's 王者 rate less the 星耀 of B on the way: {text}");
    assert!(text.contains("10,036.00") && text.contains("602.16"), "what the band released and its exact amount: {text}");
}
