//! Member accounts: login (by password, or by SMS code at `/login/code`) and logout, registration through a sponsor's invitation link
//! (`/register?code=INVITATION_CODE`, the phone proven by an SMS code: `/register/code` sends it),
//! password reset by SMS code (`/reset`, `/reset/confirm`) and a logged-in member's password
//! change by SMS code (`/password`).
//!
//! The forms before login carry a double-submit token (a cookie and a hidden field that must
//! agree, as on the admin login); the forms after login carry the session's CSRF token
//! ([`MemberForm`]). The rules are the API's (`api::auth`): the same throttling, the same answers
//! whether or not a phone is registered, the same audit entries. Registration proves the phone
//! with an SMS code (SPEC §5) sent only to a phone that is not registered yet, with the same
//! answer to any phone; the final submit refuses a registered phone (`phone_taken`).
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{Member, MemberChrome, MemberForm};
use crate::app::members::Invited;
use crate::app::sms::{Purpose, SEND_INTERVAL};
use crate::app::{self, auth};
use crate::domain::audit::Via;
use crate::domain::error_code::ErrorCode;
use crate::domain::invitation::InvitationCode;
use crate::domain::name::Name;
use crate::domain::password::Password;
use crate::domain::phone::Phone;
use crate::http::AppState;
use crate::http::api::auth as rules;
use crate::http::client_address;
use crate::http::error::ApiError;
use crate::http::pages::i18n::{Lang, Text};
use crate::http::pages::{MEMBER_HOME, PageError, PageResult, html, logged_in, redirect_target, see_other, urlencode};
use crate::http::session::{self, Kind, PreLoginToken};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/login", web::get().to(login_form))
        .route("/login", web::post().to(login_submit))
        .route("/login/code", web::get().to(code_login_form))
        .route("/login/code", web::post().to(code_login_submit))
        .route("/login/code/send", web::post().to(code_login_send))
        .route("/logout", web::post().to(logout))
        .route("/register", web::get().to(register_form))
        .route("/register", web::post().to(register_submit))
        .route("/register/code", web::post().to(register_code))
        .route("/reset", web::get().to(reset_form))
        .route("/reset", web::post().to(reset_submit))
        .route("/reset/confirm", web::get().to(confirm_form))
        .route("/reset/confirm", web::post().to(confirm_submit))
        .route("/password", web::get().to(password_form))
        .route("/password", web::post().to(password_submit))
        .route("/password/code", web::post().to(password_code));
}

/// The double-submit token of the forms before login (login, registration, reset).
const FORM_TOKEN: PreLoginToken = PreLoginToken("gp_member_form");

/// A page before login, with its form token's cookie.
fn public_page(lang: Lang, status: StatusCode, token: String, page: &impl Template) -> PageResult {
    let mut answer = html(status, page)?;
    answer.add_cookie(&FORM_TOKEN.cookie(token)).map_err(|_| PageError::Forbidden { lang, home: MEMBER_HOME })?;
    Ok(answer)
}

fn api_error(lang: Lang) -> impl Fn(ApiError) -> PageError {
    move |error| PageError::from_api(lang, MEMBER_HOME, error)
}

/// What a refused form says next to it: the status and the text of a refusal from the rules.
fn form_refusal(t: &'static Text, error: &ApiError, throttled: &'static str) -> Option<(StatusCode, &'static str)> {
    let text = match error.code().as_str() {
        "invalid_phone" => t.refusal("invalid_phone")?,
        "invalid_password" => t.refusal("invalid_password")?,
        "invalid_name" => t.refusal("invalid_name")?,
        "invalid_credentials" => t.acct_member_login_failed,
        "invalid_code" => t.acct_invalid_code,
        "too_many_requests" => throttled,
        _ => return None,
    };
    Some((actix_web::ResponseError::status_code(error), text))
}

// ---- login and logout ----

#[derive(Template)]
#[template(path = "member/login.html")]
struct LoginPage<'a> {
    t: &'static Text,
    lang: Lang,
    csrf: String,
    next: &'a str,
    /// `?next=…` for the links between the two ways in, or nothing for the home page.
    next_query: String,
    phone: &'a str,
    /// The way in by SMS code (`/login/code`) rather than by password.
    by_code: bool,
    /// Seconds before another code can be asked for, after one was sent.
    wait: Option<i64>,
    error: Option<&'static str>,
    notice: Option<&'static str>,
    here: &'static str,
}

impl<'a> LoginPage<'a> {
    fn new(lang: Lang, csrf: String, next: &'a str, by_code: bool) -> LoginPage<'a> {
        let next_query = if next == MEMBER_HOME { String::new() } else { format!("?next={}", urlencode(next)) };
        let here = if by_code { "/login/code" } else { "/login" };
        LoginPage { t: lang.text(), lang, csrf, next, next_query, phone: "", by_code, wait: None, error: None, notice: None, here }
    }
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    /// Set after a password reset: the page says so.
    reset: Option<String>,
}

async fn login_form(req: HttpRequest, query: web::Query<LoginQuery>) -> PageResult {
    login_page(&req, &query, false)
}

async fn code_login_form(req: HttpRequest, query: web::Query<LoginQuery>) -> PageResult {
    login_page(&req, &query, true)
}

fn login_page(req: &HttpRequest, query: &LoginQuery, by_code: bool) -> PageResult {
    let lang = Lang::of(req);
    let token = FORM_TOKEN.current_or_new(req);
    let mut page = LoginPage::new(lang, token.clone(), redirect_target(lang, MEMBER_HOME, query.next.as_deref())?, by_code);
    page.notice = query.reset.is_some().then_some(lang.text().acct_reset_done);
    public_page(lang, StatusCode::OK, token, &page)
}

#[derive(Deserialize)]
pub struct LoginFields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    password: String,
    /// The SMS code of the way in by code.
    #[serde(default)]
    code: String,
}

/// The login form again with the phone typed and what happened, at the status given; after a
/// code was sent (by code, 200) the send button counts down to the next one.
fn login_again(
    req: &HttpRequest,
    fields: &LoginFields,
    by_code: bool,
    status: StatusCode,
    error: Option<&'static str>,
    notice: Option<&'static str>,
) -> PageResult {
    let lang = Lang::of(req);
    let token = FORM_TOKEN.current_or_new(req);
    let next = redirect_target(lang, MEMBER_HOME, Some(&fields.next))?;
    let mut page = LoginPage::new(lang, token.clone(), next, by_code);
    page.phone = fields.phone.trim();
    page.error = error;
    page.notice = notice;
    if by_code && status == StatusCode::OK {
        page.wait = Some(SEND_INTERVAL.num_seconds());
    }
    public_page(lang, status, token, &page)
}

/// Logs in with the password, or with an SMS code (`by_code`), and goes on to `next`.
async fn sign_in(state: &AppState, req: &HttpRequest, fields: &LoginFields, by_code: bool) -> PageResult {
    let lang = Lang::of(req);
    let t = lang.text();
    if !FORM_TOKEN.matches(req, &fields.csrf) {
        return Err(PageError::Forbidden { lang, home: MEMBER_HOME });
    }
    let next = redirect_target(lang, MEMBER_HOME, Some(&fields.next))?;
    let checked = match Phone::parse(fields.phone.trim()) {
        Ok(phone) => {
            let client = client_address(req);
            let checked = if by_code {
                auth::member_login_by_code(state, &phone, &fields.code, client).await
            } else {
                auth::member_login(state, &phone, &fields.password, client).await
            };
            checked.map(|()| phone).map_err(ApiError::from)
        }
        Err(error) => Err(error.into()),
    };
    let phone = match checked {
        Ok(phone) => phone,
        Err(error) => match form_refusal(t, &error, t.login_throttled) {
            Some((status, text)) => return login_again(req, fields, by_code, status, Some(text), None),
            None => return Err(PageError::from_api(lang, MEMBER_HOME, error)),
        },
    };
    let cookie = rules::open_session(state, req, &phone).await.map_err(api_error(lang))?;
    logged_in(next, &cookie, FORM_TOKEN.0, lang, MEMBER_HOME)
}

async fn login_submit(state: web::Data<AppState>, req: HttpRequest, fields: web::Form<LoginFields>) -> PageResult {
    sign_in(&state, &req, &fields, false).await
}

async fn code_login_submit(state: web::Data<AppState>, req: HttpRequest, fields: web::Form<LoginFields>) -> PageResult {
    sign_in(&state, &req, &fields, true).await
}

/// The "send code" button of the way in by code: a `login` code to the phone typed (sent only
/// to a member's phone, with the same answer either way), and the form again with the countdown.
async fn code_login_send(state: web::Data<AppState>, req: HttpRequest, fields: web::Form<LoginFields>) -> PageResult {
    let lang = Lang::of(&req);
    let t = lang.text();
    if !FORM_TOKEN.matches(&req, &fields.csrf) {
        return Err(PageError::Forbidden { lang, home: MEMBER_HOME });
    }
    let sent = match Phone::parse(fields.phone.trim()) {
        Ok(phone) => auth::request_code(&state, &phone, Purpose::Login, client_address(&req)).await.map_err(ApiError::from),
        Err(error) => Err(error.into()),
    };
    match sent {
        Ok(()) => login_again(&req, &fields, true, StatusCode::OK, None, Some(t.acct_reset_code_sent)),
        Err(error) => match form_refusal(t, &error, t.acct_sms_limited) {
            Some((status, text)) => login_again(&req, &fields, true, status, Some(text), None),
            None => Err(PageError::from_api(lang, MEMBER_HOME, error)),
        },
    }
}

#[derive(Deserialize)]
pub struct NoFields {}

async fn logout(state: web::Data<AppState>, form: MemberForm<NoFields>) -> PageResult {
    let member = form.signed_in;
    let removal = session::close(&state.graph, Kind::Member, &member.session).await.map_err(|e| member.refused(e))?;
    let mut answer: HttpResponse = see_other("/login");
    answer.add_cookie(&removal).map_err(|_| PageError::Forbidden { lang: member.lang, home: MEMBER_HOME })?;
    Ok(answer)
}

// ---- registration through an invitation link ----

#[derive(Template)]
#[template(path = "member/register.html")]
struct RegisterPage<'a> {
    t: &'static Text,
    lang: Lang,
    csrf: String,
    /// The sponsor's phone, masked; None: the link names no member, and the page says so
    /// instead of showing the form.
    sponsor: Option<String>,
    /// The invitation code the form carries.
    invitation: &'a str,
    phone: &'a str,
    name: &'a str,
    error: Option<&'static str>,
    notice: Option<&'static str>,
    /// Seconds before another code can be asked for, after one was sent.
    wait: Option<i64>,
    here: String,
}

#[derive(Deserialize)]
pub struct InvitationQuery {
    #[serde(default)]
    code: String,
    /// The link of before invitation codes, which named the sponsor's phone: no longer works.
    sponsor: Option<String>,
}

/// Registration attempts, and looks at invitation links, count against the client address's
/// budget (20 an hour): each answer tells whether an invitation code, or a phone, is a member's.
async fn register_throttled(state: &AppState, req: &HttpRequest, lang: Lang) -> Result<bool, PageError> {
    let key = format!("register:{}", client_address(req));
    Ok(!state.admit(&key, crate::http::ACCOUNT_RATE).await.map_err(|e| PageError::graph(lang, MEMBER_HOME, e))?)
}

/// The sponsor an invitation code names, masked for the page; None for a code no member has
/// (or one that does not read).
async fn sponsor_of(state: &AppState, code: &str, lang: Lang) -> Result<Option<String>, PageError> {
    let Ok(code) = InvitationCode::parse(code) else { return Ok(None) };
    match app::members::sponsor_of(state, &code).await {
        Ok(sponsor) => Ok(Some(sponsor.masked())),
        Err(error) if error.refusal() == Some(ErrorCode::InvalidInvitation) => Ok(None),
        Err(error) => Err(api_error(lang)(error.into())),
    }
}

/// The page's own address, for the language switch.
fn register_here(code: &str) -> String {
    urlencode(&format!("/register?code={}", urlencode(code.trim())))
}

async fn register_form(state: web::Data<AppState>, req: HttpRequest, query: web::Query<InvitationQuery>) -> PageResult {
    let lang = Lang::of(&req);
    let t = lang.text();
    let here = urlencode(req.uri().path_and_query().map_or("/register", |p| p.as_str()));
    let token = FORM_TOKEN.current_or_new(&req);
    let page = |sponsor: Option<String>, error: Option<&'static str>| RegisterPage {
        t,
        lang,
        csrf: token.clone(),
        sponsor,
        invitation: query.code.trim(),
        phone: "",
        name: "",
        error,
        notice: None,
        wait: None,
        here: here.clone(),
    };
    if register_throttled(&state, &req, lang).await? {
        return public_page(lang, StatusCode::TOO_MANY_REQUESTS, token.clone(), &page(None, Some(t.acct_register_throttled)));
    }
    if query.code.trim().is_empty() && query.sponsor.is_some() {
        // An invitation link of before invitation codes: it named the sponsor's phone, which
        // let anyone register under anyone; it registers nobody now.
        return public_page(lang, StatusCode::GONE, token.clone(), &page(None, Some(t.acct_register_old_link)));
    }
    match sponsor_of(&state, &query.code, lang).await? {
        Some(sponsor) => public_page(lang, StatusCode::OK, token.clone(), &page(Some(sponsor), None)),
        None => public_page(lang, StatusCode::NOT_FOUND, token.clone(), &page(None, Some(t.acct_register_bad_link))),
    }
}

#[derive(Deserialize)]
pub struct RegisterFields {
    #[serde(default)]
    csrf: String,
    /// The sponsor's invitation code, from the link.
    #[serde(default)]
    invitation: String,
    #[serde(default)]
    phone: String,
    /// The SMS code sent to the phone for registration.
    #[serde(default)]
    code: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
    #[serde(default)]
    name: String,
}

/// The registration form again, keeping what was typed (never the passwords), with an error or a
/// notice (the only one: a code was sent, so the send button counts down to the next); without a
/// sponsor (a link that names nobody) only the error.
fn register_again(
    req: &HttpRequest,
    fields: &RegisterFields,
    sponsor: Option<String>,
    status: StatusCode,
    error: Option<&'static str>,
    notice: Option<&'static str>,
) -> PageResult {
    let lang = Lang::of(req);
    let token = FORM_TOKEN.current_or_new(req);
    let page = RegisterPage {
        t: lang.text(),
        lang,
        csrf: token.clone(),
        sponsor,
        invitation: fields.invitation.trim(),
        phone: fields.phone.trim(),
        name: fields.name.trim(),
        error,
        notice,
        wait: notice.map(|_| SEND_INTERVAL.num_seconds()),
        here: register_here(&fields.invitation),
    };
    public_page(lang, status, token, &page)
}

/// The "send code" button: sends a registration code to the phone typed (only if it is not
/// registered yet; the answer is the same either way) and shows the form again with what was typed.
async fn register_code(state: web::Data<AppState>, req: HttpRequest, fields: web::Form<RegisterFields>) -> PageResult {
    let lang = Lang::of(&req);
    let t = lang.text();
    if !FORM_TOKEN.matches(&req, &fields.csrf) {
        return Err(PageError::Forbidden { lang, home: MEMBER_HOME });
    }
    // A code that names nobody costs the address's registration budget, as a look at a broken
    // link does: invitation codes cannot be tried here without limit. A real one goes on to the
    // limits of SMS codes.
    let invitation = InvitationCode::parse(&fields.invitation).ok();
    let sponsor = match &invitation {
        Some(invitation) => sponsor_of(&state, invitation.as_str(), lang).await?,
        None => None,
    };
    let (Some(invitation), Some(sponsor)) = (invitation, sponsor) else {
        if register_throttled(&state, &req, lang).await? {
            return register_again(&req, &fields, None, StatusCode::TOO_MANY_REQUESTS, Some(t.acct_register_throttled), None);
        }
        return register_again(&req, &fields, None, StatusCode::UNPROCESSABLE_ENTITY, Some(t.acct_register_bad_link), None);
    };
    let sent = match Phone::parse(fields.phone.trim()) {
        Ok(phone) => app::members::request_registration_code(&state, &invitation, &phone, client_address(&req))
            .await
            .map(|_| ())
            .map_err(ApiError::from),
        Err(error) => Err(error.into()),
    };
    match sent {
        Ok(()) => register_again(&req, &fields, Some(sponsor), StatusCode::OK, None, Some(t.acct_register_code_sent)),
        Err(error) if error.code() == ErrorCode::InvalidInvitation => {
            register_again(&req, &fields, None, StatusCode::UNPROCESSABLE_ENTITY, Some(t.acct_register_bad_link), None)
        }
        Err(error) => match form_refusal(t, &error, t.acct_sms_limited) {
            Some((status, text)) => register_again(&req, &fields, Some(sponsor), status, Some(text), None),
            None => Err(PageError::from_api(lang, MEMBER_HOME, error)),
        },
    }
}

/// The full submit: the phone proven by its registration code, the member created under the
/// invitation code's owner and logged in.
async fn register_submit(state: web::Data<AppState>, req: HttpRequest, fields: web::Form<RegisterFields>) -> PageResult {
    let lang = Lang::of(&req);
    let t = lang.text();
    if !FORM_TOKEN.matches(&req, &fields.csrf) {
        return Err(PageError::Forbidden { lang, home: MEMBER_HOME });
    }
    let bad_link = || register_again(&req, &fields, None, StatusCode::UNPROCESSABLE_ENTITY, Some(t.acct_register_bad_link), None);
    if register_throttled(&state, &req, lang).await? {
        return register_again(&req, &fields, None, StatusCode::TOO_MANY_REQUESTS, Some(t.acct_register_throttled), None);
    }
    let Ok(invitation) = InvitationCode::parse(&fields.invitation) else { return bad_link() };
    let Some(sponsor) = sponsor_of(&state, invitation.as_str(), lang).await? else { return bad_link() };
    let refused = |status: StatusCode, error: &'static str| register_again(&req, &fields, Some(sponsor.clone()), status, Some(error), None);
    let Ok(phone) = Phone::parse(fields.phone.trim()) else {
        return refused(StatusCode::BAD_REQUEST, t.refusal("invalid_phone").unwrap_or_default());
    };
    if fields.password != fields.password_again {
        return refused(StatusCode::UNPROCESSABLE_ENTITY, t.acct_password_mismatch);
    }
    let password = match Password::choose(&fields.password, phone.as_str()) {
        Ok(password) => password,
        Err(error) => {
            return refused(
                StatusCode::from_u16(error.code().status()).unwrap_or(StatusCode::BAD_REQUEST),
                t.refusal(error.code().as_str()).unwrap_or_default(),
            );
        }
    };
    // The API's rule for names (`POST /api/v1/members`).
    let Ok(name) = Name::parse_optional(fields.name.trim()) else {
        return refused(StatusCode::BAD_REQUEST, t.refusal("invalid_name").unwrap_or_default());
    };
    let invited = Invited {
        invitation,
        phone: phone.clone(),
        name,
        password,
        sms_code: fields.code.clone(),
        client: client_address(&req).to_string(),
    };
    let sponsor_phone = match app::members::register_by_invitation(&state, invited).await {
        Ok(sponsor_phone) => sponsor_phone,
        Err(error) => {
            return match error.refusal() {
                Some(ErrorCode::PhoneTaken) => refused(StatusCode::CONFLICT, t.acct_register_phone_taken),
                Some(ErrorCode::InvalidCode) => refused(StatusCode::UNPROCESSABLE_ENTITY, t.acct_invalid_code),
                Some(ErrorCode::InvalidInvitation | ErrorCode::SponsorNotFound) => bad_link(),
                _ => Err(api_error(lang)(error.into())),
            };
        }
    };
    tracing::info!(phone = %phone.masked(), sponsor = %sponsor_phone.masked(), "member registered through an invitation link");
    let cookie = rules::open_session(&state, &req, &phone).await.map_err(api_error(lang))?;
    logged_in("/", &cookie, FORM_TOKEN.0, lang, MEMBER_HOME)
}

// ---- password reset by SMS code ----

#[derive(Template)]
#[template(path = "member/reset.html")]
struct ResetPage<'a> {
    t: &'static Text,
    lang: Lang,
    csrf: String,
    /// The second step: code and new password.
    confirm: bool,
    phone: &'a str,
    error: Option<&'static str>,
    /// The only one: a code was sent, so the resend button counts down to the next.
    notice: Option<&'static str>,
    wait: Option<i64>,
    here: &'static str,
}

fn reset_page(
    req: &HttpRequest,
    status: StatusCode,
    confirm: bool,
    phone: &str,
    error: Option<&'static str>,
    notice: Option<&'static str>,
) -> PageResult {
    let lang = Lang::of(req);
    let token = FORM_TOKEN.current_or_new(req);
    let here = if confirm { "/reset/confirm" } else { "/reset" };
    let wait = notice.map(|_| SEND_INTERVAL.num_seconds());
    let page = ResetPage { t: lang.text(), lang, csrf: token.clone(), confirm, phone, error, notice, wait, here };
    public_page(lang, status, token, &page)
}

async fn reset_form(req: HttpRequest) -> PageResult {
    reset_page(&req, StatusCode::OK, false, "", None, None)
}

async fn confirm_form(req: HttpRequest) -> PageResult {
    reset_page(&req, StatusCode::OK, true, "", None, None)
}

#[derive(Deserialize)]
pub struct ResetFields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    phone: String,
}

/// Sends a code (or, for an unregistered phone, only counts the request) and shows the second
/// step; the answer is the same either way. The phone stays out of the address bar and the logs.
async fn reset_submit(state: web::Data<AppState>, req: HttpRequest, fields: web::Form<ResetFields>) -> PageResult {
    let lang = Lang::of(&req);
    let t = lang.text();
    if !FORM_TOKEN.matches(&req, &fields.csrf) {
        return Err(PageError::Forbidden { lang, home: MEMBER_HOME });
    }
    let typed = fields.phone.trim();
    let sent = match Phone::parse(typed) {
        Ok(phone) => auth::request_code(&state, &phone, Purpose::Reset, client_address(&req)).await.map_err(ApiError::from),
        Err(error) => Err(error.into()),
    };
    match sent {
        Ok(()) => reset_page(&req, StatusCode::OK, true, typed, None, Some(t.acct_reset_code_sent)),
        Err(error) => match form_refusal(t, &error, t.acct_sms_limited) {
            Some((status, text)) => reset_page(&req, status, false, typed, Some(text), None),
            None => Err(PageError::from_api(lang, MEMBER_HOME, error)),
        },
    }
}

#[derive(Deserialize)]
pub struct ConfirmFields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

async fn confirm_submit(state: web::Data<AppState>, req: HttpRequest, fields: web::Form<ConfirmFields>) -> PageResult {
    let lang = Lang::of(&req);
    let t = lang.text();
    if !FORM_TOKEN.matches(&req, &fields.csrf) {
        return Err(PageError::Forbidden { lang, home: MEMBER_HOME });
    }
    let typed = fields.phone.trim();
    if fields.password != fields.password_again {
        return reset_page(&req, StatusCode::UNPROCESSABLE_ENTITY, true, typed, Some(t.acct_password_mismatch), None);
    }
    let reset = match Phone::parse(typed) {
        Ok(phone) => auth::set_password_by_code(&state, &phone, Purpose::Reset, &fields.code, &fields.password, Via::Portal)
            .await
            .map_err(ApiError::from),
        Err(error) => Err(error.into()),
    };
    match reset {
        Ok(()) => {
            let mut answer = see_other("/login?reset=1");
            answer.add_removal_cookie(&session::removal(Kind::Member.cookie_name())).ok();
            Ok(answer)
        }
        Err(error) => match form_refusal(t, &error, t.acct_sms_limited) {
            Some((status, text)) => reset_page(&req, status, true, typed, Some(text), None),
            None => Err(PageError::from_api(lang, MEMBER_HOME, error)),
        },
    }
}

// ---- a logged-in member changes its password ----

#[derive(Template)]
#[template(path = "member/password.html")]
struct PasswordPage {
    chrome: MemberChrome,
    error: Option<&'static str>,
    notice: Option<&'static str>,
    /// Seconds before another code can be asked for, after one was sent.
    wait: Option<i64>,
}

#[derive(Deserialize)]
pub struct PasswordQuery {
    sent: Option<String>,
    changed: Option<String>,
}

fn password_page(
    member: &Member,
    req: &HttpRequest,
    status: StatusCode,
    error: Option<&'static str>,
    notice: Option<&'static str>,
) -> PageResult {
    let wait = (notice == Some(member.t().acct_password_code_sent)).then(|| SEND_INTERVAL.num_seconds());
    html(status, &PasswordPage { chrome: MemberChrome::of(member, "password", req), error, notice, wait })
}

async fn password_form(member: Member, req: HttpRequest, query: web::Query<PasswordQuery>) -> PageResult {
    let t = member.t();
    let notice =
        if query.changed.is_some() { Some(t.acct_password_changed) } else { query.sent.is_some().then_some(t.acct_password_code_sent) };
    password_page(&member, &req, StatusCode::OK, None, notice)
}

async fn password_code(state: web::Data<AppState>, req: HttpRequest, form: MemberForm<NoFields>) -> PageResult {
    let member = form.signed_in;
    let t = member.t();
    match auth::request_code(&state, &member.phone, Purpose::Change, client_address(&req)).await.map_err(ApiError::from) {
        Ok(()) => Ok(see_other("/password?sent=1")),
        Err(error) => match form_refusal(t, &error, t.acct_sms_limited) {
            Some((status, text)) => password_page(&member, &req, status, Some(text), None),
            None => Err(member.refused(error)),
        },
    }
}

#[derive(Deserialize)]
pub struct ChangeFields {
    #[serde(default)]
    code: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

/// Sets the new password; every session of the member ends, and this browser gets a new one.
async fn password_submit(state: web::Data<AppState>, req: HttpRequest, form: MemberForm<ChangeFields>) -> PageResult {
    let MemberForm { signed_in: member, fields } = form;
    let t = member.t();
    if fields.password != fields.password_again {
        return password_page(&member, &req, StatusCode::UNPROCESSABLE_ENTITY, Some(t.acct_password_mismatch), None);
    }
    let changed = auth::set_password_by_code(&state, &member.phone, Purpose::Change, &fields.code, &fields.password, Via::Portal)
        .await
        .map_err(ApiError::from);
    if let Err(error) = changed {
        return match form_refusal(t, &error, t.acct_sms_limited) {
            Some((status, text)) => password_page(&member, &req, status, Some(text), None),
            None => Err(member.refused(error)),
        };
    }
    let cookie = session::open(&state.graph, Kind::Member, member.phone.as_str(), state.now()).await.map_err(|e| member.refused(e))?;
    let mut answer = see_other("/password?changed=1");
    answer.add_cookie(&cookie).map_err(|_| PageError::Forbidden { lang: member.lang, home: MEMBER_HOME })?;
    Ok(answer)
}
