//! Admin login and logout. The login form is protected by a double-submit token (a cookie and a
//! hidden field that must agree); a successful login opens a new session with its own cookie.
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::app::auth;
use crate::domain::error_code::ErrorCode;
use crate::http::AppState;
use crate::http::pages::i18n::{Lang, Text};
use crate::http::pages::{ADMIN_HOME, AdminForm, PageError, PageResult, html, logged_in, redirect_target, see_other};
use crate::http::session::{self, Kind, PreLoginToken};

const LOGIN_TOKEN: PreLoginToken = PreLoginToken("gp_login");

#[derive(Template)]
#[template(path = "admin/login.html")]
struct LoginPage {
    t: &'static Text,
    lang: Lang,
    csrf: String,
    next: String,
    username: String,
    error: Option<&'static str>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

fn login_page(req: &HttpRequest, next: &str, username: &str, error: Option<&'static str>, status: StatusCode) -> PageResult {
    let lang = Lang::of(req);
    let token = LOGIN_TOKEN.current_or_new(req);
    let page = LoginPage { t: lang.text(), lang, csrf: token.clone(), next: next.to_string(), username: username.to_string(), error };
    let mut answer = html(status, &page)?;
    answer.add_cookie(&LOGIN_TOKEN.cookie(token)).map_err(|_| PageError::Forbidden { lang, home: ADMIN_HOME })?;
    Ok(answer)
}

pub async fn form(req: HttpRequest, query: web::Query<NextQuery>) -> PageResult {
    let next = redirect_target(Lang::of(&req), ADMIN_HOME, query.next.as_deref())?;
    login_page(&req, next, "", None, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct LoginFields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

pub async fn submit(state: web::Data<AppState>, req: HttpRequest, fields: web::Form<LoginFields>) -> PageResult {
    let lang = Lang::of(&req);
    let t = lang.text();
    if !LOGIN_TOKEN.matches(&req, &fields.csrf) {
        return Err(PageError::Forbidden { lang, home: ADMIN_HOME });
    }
    let next = redirect_target(lang, ADMIN_HOME, Some(&fields.next))?;
    let username = fields.username.trim();
    let client = crate::http::client_address(&req);
    match auth::admin_login(&state, username, &fields.password, client).await {
        Ok(()) => {}
        Err(error) if error.refusal() == Some(ErrorCode::TooManyRequests) => {
            return login_page(&req, next, username, Some(t.login_throttled), StatusCode::TOO_MANY_REQUESTS);
        }
        Err(error) if error.refusal() == Some(ErrorCode::InvalidCredentials) => {
            return login_page(&req, next, username, Some(t.login_failed), StatusCode::UNAUTHORIZED);
        }
        Err(error) => return Err(PageError::from_api(lang, ADMIN_HOME, error.into())),
    }
    let cookie =
        session::open(&state.graph, Kind::Admin, username, state.now()).await.map_err(|e| PageError::graph(lang, ADMIN_HOME, e))?;
    logged_in(next, &cookie, LOGIN_TOKEN.0, lang, ADMIN_HOME)
}

#[derive(Deserialize)]
pub struct NoFields {}

pub async fn logout(state: web::Data<AppState>, form: AdminForm<NoFields>) -> PageResult {
    let admin = form.signed_in;
    let removal = session::close(&state.graph, Kind::Admin, &admin.session).await.map_err(|e| admin.refused(e))?;
    let mut answer: HttpResponse = see_other("/admin/login");
    answer.add_cookie(&removal).map_err(|_| PageError::Forbidden { lang: admin.lang, home: ADMIN_HOME })?;
    Ok(answer)
}
