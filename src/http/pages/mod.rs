//! The server-rendered pages (askama): the admin console under `/admin` and the member portal at
//! `/`, both on one layout (`templates/base.html`). Simplified Chinese first, English second;
//! every page works without JavaScript.
pub mod admin;
pub mod chart;
pub mod format;
pub mod i18n;
pub mod member;
pub mod order_line;
pub mod signed_in;

use actix_web::cookie::Cookie;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentType};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use askama::Template;
use serde::Deserialize;

use super::error::ApiError;
use super::session;
use crate::domain::error_code::ErrorCode;
use crate::graph::GraphError;
// The names the admin pages know them by.
pub use admin::{Admin, AdminForm};
use i18n::{Lang, Text};
pub use signed_in::Chrome;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/static/app.css", web::get().to(stylesheet))
        .route("/static/countdown.js", web::get().to(countdown_script))
        .route("/lang/{lang}", web::get().to(switch_language));
    admin::configure(cfg);
    // Last: the member portal owns `/`.
    member::configure(cfg);
}

/// Any address no route takes outside the API: 404 `not_found` on the error page, in the
/// reader's language, with the way home of the side the path is on.
pub async fn not_found(req: HttpRequest) -> Result<HttpResponse, actix_web::Error> {
    Err(super::error::refusal(&req, ApiError::refused(ErrorCode::NotFound, "no such page")))
}

async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../../static/app.css"))
}

/// The resend countdown of the forms that send an SMS code.
async fn countdown_script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../../static/countdown.js"))
}

#[derive(Deserialize)]
struct Back {
    back: Option<String>,
}

/// Keeps the reader's language in a cookie and goes back to the page they were on.
async fn switch_language(path: web::Path<String>, query: web::Query<Back>) -> PageResult {
    let lang = Lang::parse(&path).unwrap_or(Lang::Zh);
    let back = redirect_target(lang, MEMBER_HOME, query.back.as_deref())?;
    let mut cookie = session::cookie(i18n::LANG_COOKIE, lang.code().to_string());
    cookie.set_max_age(actix_web::cookie::time::Duration::days(365));
    Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, back.to_string())).cookie(cookie).finish())
}

/// Where a page may send its reader back to (`next=`, `back=`): `home` when nothing is asked for,
/// a path of this site as asked, anything else refused (400 `invalid_redirect`), so that no
/// link can send a reader elsewhere through this site.
pub fn redirect_target<'a>(lang: Lang, home: &'static str, asked: Option<&'a str>) -> Result<&'a str, PageError> {
    match asked.filter(|path| !path.is_empty()) {
        None => Ok(home),
        Some(path) if is_local_path(path) => Ok(path),
        Some(_) => {
            Err(PageError::from_api(lang, home, ApiError::refused(ErrorCode::InvalidRedirect, "redirects go to paths of this site only")))
        }
    }
}

/// A path on this site, safe to redirect to: an absolute path with a query at most, of visible
/// ASCII only. Browsers drop tabs and line breaks from a URL, so `/\t/evil.com` would be
/// `//evil.com`, another site; `/\\evil.com` is too.
fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && path.bytes().all(|byte| byte.is_ascii_graphic())
        && path.parse::<actix_web::http::Uri>().is_ok_and(|uri| uri.scheme().is_none() && uri.authority().is_none())
}

/// Where an error page's home link goes: the admin console, or the member portal.
pub const ADMIN_HOME: &str = "/admin";
pub const MEMBER_HOME: &str = "/";

/// What a page handler answers when it does not render its page.
#[derive(Debug)]
pub enum PageError {
    /// Not logged in (or the session expired): to the login page (`login`), then back to `next`.
    LoginRequired { login: &'static str, next: String },
    /// A form without this session's CSRF token; the error page links to `home`.
    Forbidden { lang: Lang, home: &'static str },
    /// A refusal with a stable code, shown on an error page that links to `home`.
    Refused { lang: Lang, home: &'static str, status: StatusCode, code: &'static str, message: String },
}

pub type PageResult = Result<HttpResponse, PageError>;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    t: &'static Text,
    lang: Lang,
    message: &'a str,
    code: &'a str,
    home: &'static str,
    home_label: &'static str,
}

impl PageError {
    /// A refusal from the API layer's mapping (status, code, message), in the reader's language.
    pub fn from_api(lang: Lang, home: &'static str, error: ApiError) -> PageError {
        PageError::Refused { lang, home, status: error.status_code(), code: error.code().as_str(), message: error.message().to_string() }
    }

    pub fn graph(lang: Lang, home: &'static str, error: GraphError) -> PageError {
        Self::from_api(lang, home, ApiError::from(error))
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PageError::LoginRequired { .. } => f.write_str("login required"),
            PageError::Forbidden { .. } => f.write_str("forbidden: CSRF token"),
            PageError::Refused { status, code, message, .. } => write!(f, "{} {code}: {message}", status.as_u16()),
        }
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::LoginRequired { .. } => StatusCode::SEE_OTHER,
            PageError::Forbidden { .. } => StatusCode::FORBIDDEN,
            PageError::Refused { status, .. } => *status,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let (lang, home, code, message) = match self {
            PageError::LoginRequired { login, next } => {
                let location = format!("{login}?next={}", urlencode(next));
                return HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish();
            }
            PageError::Forbidden { lang, home } => (*lang, *home, "forbidden", lang.text().forbidden.to_string()),
            PageError::Refused { lang, home, code, message, status } => {
                let t = lang.text();
                let text = match *code {
                    "internal" => t.internal_error.to_string(),
                    _ if *status == StatusCode::NOT_FOUND && t.refusal(code).is_none() => t.not_found.to_string(),
                    _ => t.refusal(code).map_or_else(|| message.clone(), str::to_string),
                };
                (*lang, *home, *code, text)
            }
        };
        let t = lang.text();
        let home_label = if home == ADMIN_HOME { t.admin_console } else { t.member_nav_home };
        let page = ErrorPage { t, lang, message: &message, code, home, home_label };
        HttpResponse::build(self.status_code()).content_type(ContentType::html()).body(page.render().unwrap_or(message))
    }
}

pub fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)]).map(|s| s[1..].to_string()).unwrap_or_default()
}

/// Renders a page as an HTML answer.
pub fn html(status: StatusCode, page: &impl Template) -> PageResult {
    let body = page.render().map_err(|error| {
        tracing::error!(%error, "rendering a page failed");
        // Either side's page may fail here, and this does not know which: the portal's home.
        let status = StatusCode::INTERNAL_SERVER_ERROR;
        PageError::Refused { lang: Lang::Zh, home: MEMBER_HOME, status, code: "internal", message: String::new() }
    })?;
    Ok(HttpResponse::build(status).content_type(ContentType::html()).insert_header((header::CACHE_CONTROL, "no-store")).body(body))
}

/// A redirect after a successful form (post/redirect/get).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location.to_string())).finish()
}

/// The answer to a successful login: to `next`, with the new session's cookie, and the login
/// form's token cookie (`token_cookie`) removed.
pub fn logged_in(next: &str, session_cookie: &Cookie<'static>, token_cookie: &'static str, lang: Lang, home: &'static str) -> PageResult {
    let mut answer = see_other(next);
    answer.add_cookie(session_cookie).map_err(|_| PageError::Forbidden { lang, home })?;
    answer.add_removal_cookie(&session::removal(token_cookie)).ok();
    Ok(answer)
}
