//! Who is signed in on a page, for both sides of the site: the admin console and the member
//! portal differ only by their [`SessionKind`] (the cookie, the login page, the home page, the
//! account a session is for, the navigation), so one extractor, one form extractor and one page
//! layout (`templates/base.html`, fed by [`Chrome`]) serve both.
use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, web};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::i18n::{Lang, Text};
use super::{PageError, urlencode};
use crate::domain::error_code::ErrorCode;
use crate::graph::{Graph, GraphResult};
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::session::{self, Kind, Session};

/// A side of the site that people sign in to.
pub trait SessionKind: 'static {
    /// Whose a session of this kind is, read from its subject.
    type Account: 'static;
    /// The kind of session (and so the cookie) this side's pages read.
    const SESSION: Kind;
    /// Where a reader without a session goes to log in.
    const LOGIN: &'static str;
    /// This side's home: what error pages link to, and where a form leads after logging in again.
    const HOME: &'static str;
    /// Where the header's logout button posts.
    const LOGOUT: &'static str;
    /// The class of the pages' `<body>`, if this side has its own styling.
    const BODY_CLASS: Option<&'static str>;

    /// The account named by a session's subject, read at every request (so that a change to it,
    /// an admin's role or its disabling, applies at once); `None` when the subject names no
    /// account that may sign in.
    fn account(graph: &Graph, subject: &str) -> impl Future<Output = GraphResult<Option<Self::Account>>>;
    /// Who did it, for the audit log.
    fn actor(account: &Self::Account) -> crate::domain::audit::Actor;
    /// How the header names who is signed in.
    fn signed_in_as(account: &Self::Account, t: &'static Text) -> String;
    /// This side's name after the app's in titles and in the header (`None`: the app's name alone).
    fn site_name(t: &'static Text) -> Option<&'static str>;
    /// The sections of the navigation: (key, label, path).
    fn navigation(t: &'static Text) -> Vec<(&'static str, &'static str, &'static str)>;
    /// Whether the navigation shows the section `key` to `account` (every section, unless a side says otherwise).
    fn shows(_account: &Self::Account, _key: &str) -> bool {
        true
    }
}

/// Someone signed in to side `K`, with the reader's language. Pages that take it send everyone
/// else to `K`'s login page.
pub struct SignedIn<K: SessionKind> {
    pub session: Session,
    pub lang: Lang,
    account: K::Account,
}

/// The account's fields read through the signed-in reader (`member.phone`, `admin.username`).
impl<K: SessionKind> Deref for SignedIn<K> {
    type Target = K::Account;

    fn deref(&self) -> &K::Account {
        &self.account
    }
}

impl<K: SessionKind> SignedIn<K> {
    pub fn t(&self) -> &'static Text {
        self.lang.text()
    }

    /// Who did it, for the audit log.
    pub fn actor(&self) -> crate::domain::audit::Actor {
        K::actor(&self.account)
    }

    /// Why an action was refused, in the reader's language (the message as it is when the code has no text).
    pub fn reason(&self, error: &ApiError) -> String {
        self.t().refusal(error.code().as_str()).map_or_else(|| error.message().to_string(), str::to_string)
    }

    /// A refusal in the reader's language, on an error page linking to this side's home.
    pub fn refused(&self, error: impl Into<ApiError>) -> PageError {
        PageError::from_api(self.lang, K::HOME, error.into())
    }

    /// The live session of kind `K` the request carries; without one, to the login page.
    async fn of(req: &HttpRequest) -> Result<SignedIn<K>, PageError> {
        let state = req.app_data::<web::Data<AppState>>().cloned().expect("the app state is registered");
        let lang = Lang::of(req);
        let session = match session::current(&state.graph, req, K::SESSION, state.now()).await {
            Ok(Some(session)) => session,
            Ok(None) => return Err(login_required::<K>(req)),
            Err(error) => return Err(PageError::graph(lang, K::HOME, error)),
        };
        let account = match K::account(&state.graph, &session.subject).await {
            Ok(Some(account)) => account,
            Ok(None) => return Err(login_required::<K>(req)),
            Err(error) => return Err(PageError::graph(lang, K::HOME, error)),
        };
        Ok(SignedIn { session, lang, account })
    }
}

impl<K: SessionKind> FromRequest for SignedIn<K> {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { SignedIn::of(&req).await })
    }
}

/// To `K`'s login page, then back to the page asked for; after a form, to `K`'s home (a form is
/// not a page to come back to).
fn login_required<K: SessionKind>(req: &HttpRequest) -> PageError {
    let here = req.uri().path_and_query().map_or(K::HOME, |p| p.as_str());
    let next = if req.method() == actix_web::http::Method::GET { here } else { K::HOME };
    PageError::LoginRequired { login: K::LOGIN, next: next.to_string() }
}

/// A form posted by someone signed in to side `K`: the session is checked first, then the form's
/// CSRF token, and only then are the fields read. Anything else changes nothing.
pub struct SignedInForm<K: SessionKind, T> {
    pub signed_in: SignedIn<K>,
    pub fields: T,
}

#[derive(Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

impl<K: SessionKind, T: DeserializeOwned + 'static> FromRequest for SignedInForm<K, T> {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let signed_in = SignedIn::<K>::of(&req).await?;
            let fields = checked_fields(&signed_in.session, signed_in.lang, K::HOME, body.await)?;
            Ok(SignedInForm { signed_in, fields })
        })
    }
}

/// The fields of a form posted in `session`, read only once the form's CSRF token is the session's.
fn checked_fields<T: DeserializeOwned>(
    session: &Session,
    lang: Lang,
    home: &'static str,
    body: Result<web::Bytes, actix_web::Error>,
) -> Result<T, PageError> {
    let body = body.map_err(|error| match error.as_response_error().status_code() {
        actix_web::http::StatusCode::PAYLOAD_TOO_LARGE => {
            PageError::from_api(lang, home, ApiError::refused(ErrorCode::PayloadTooLarge, "the form is too large"))
        }
        _ => PageError::from_api(lang, home, ApiError::refused(ErrorCode::InvalidForm, "the form did not arrive whole")),
    })?;
    let token: CsrfField = serde_urlencoded::from_bytes(&body).unwrap_or(CsrfField { csrf: String::new() });
    if !session.csrf_matches(&token.csrf) {
        return Err(PageError::Forbidden { lang, home });
    }
    serde_urlencoded::from_bytes(&body).map_err(|error| {
        PageError::from_api(lang, home, ApiError::refused(ErrorCode::InvalidForm, format!("the form does not read: {error}")))
    })
}

/// What the layout of every signed-in page (`templates/base.html`) shows: the words, the side's
/// name and links, who is signed in, the form token, where the reader is.
pub struct Chrome {
    pub t: &'static Text,
    pub lang: Lang,
    /// The side's name after the app's (the admin console), or `None` (the member portal).
    pub site_name: Option<&'static str>,
    pub home: &'static str,
    pub logout: &'static str,
    pub body_class: Option<&'static str>,
    /// Who is signed in: the admin's username, the member's masked phone (138****0001).
    pub signed_in_as: String,
    pub csrf: String,
    /// The section of the navigation to mark (`dashboard`, `members`, … `home`, `team`, …).
    pub section: &'static str,
    /// This page's path, for the language switch to come back to.
    pub here: String,
    /// The sections of the side: (key, label, path).
    pub nav: Vec<(&'static str, &'static str, &'static str)>,
}

impl Chrome {
    pub fn of<K: SessionKind>(signed_in: &SignedIn<K>, section: &'static str, req: &HttpRequest) -> Chrome {
        let here = req.uri().path_and_query().map_or(K::HOME, |p| p.as_str());
        let mut chrome = Chrome::for_side::<K>(
            signed_in.lang,
            K::signed_in_as(&signed_in.account, signed_in.t()),
            signed_in.session.csrf.clone(),
            section,
            here,
        );
        chrome.nav.retain(|(key, _, _)| K::shows(&signed_in.account, key));
        chrome
    }

    fn for_side<K: SessionKind>(lang: Lang, signed_in_as: String, csrf: String, section: &'static str, here: &str) -> Chrome {
        let t = lang.text();
        Chrome {
            t,
            lang,
            site_name: K::site_name(t),
            home: K::HOME,
            logout: K::LOGOUT,
            body_class: K::BODY_CLASS,
            signed_in_as,
            csrf,
            section,
            here: urlencode(here),
            nav: K::navigation(t),
        }
    }
}

#[cfg(test)]
mod tests {
    use askama::Template;

    use super::{Chrome, SessionKind};
    use crate::http::pages::admin::AdminKind;
    use crate::http::pages::i18n::Lang;
    use crate::http::pages::member::MemberKind;

    /// A page of either side, on the one layout.
    #[derive(Template)]
    #[template(
        source = r#"{% extends "base.html" %}{% block title %}Page{% endblock %}{% block content %}<p id="content">C</p>{% endblock %}"#,
        ext = "html"
    )]
    struct Page {
        chrome: Chrome,
    }

    fn page<K: SessionKind>(signed_in_as: &str, section: &'static str, here: &str) -> String {
        Page { chrome: Chrome::for_side::<K>(Lang::Zh, signed_in_as.into(), "token".into(), section, here) }.render().unwrap()
    }

    #[test]
    fn admin_and_member_pages_share_one_layout_and_differ_by_their_side_s_chrome() {
        let admin = page::<AdminKind>("admin", "members", "/admin/members?q=1");
        let member = page::<MemberKind>("138****0001", "team", "/team");
        for (html, logout) in [(&admin, "/admin/logout"), (&member, "/logout")] {
            assert!(html.starts_with("<!doctype html>\n<html lang=\"zh-CN\">"), "{html}");
            assert!(html.contains(r#"<link rel="stylesheet" href="/static/app.css">"#), "{html}");
            assert!(html.contains(&format!(r#"<form method="post" action="{logout}" class="inline">"#)), "{html}");
            assert!(html.contains(r#"<input type="hidden" name="csrf" value="token">"#), "{html}");
            assert!(
                html.contains(
                    r#"<main>
<p id="content">C</p>
</main>"#
                ),
                "{html}"
            );
        }

        assert!(admin.contains("<title>Page · 绿色积分 管理后台</title>"), "{admin}");
        assert!(admin.contains("<body>\n"), "{admin}");
        assert!(admin.contains(r#"<a class="brand" href="/admin">绿色积分 · 管理后台</a>"#), "{admin}");
        assert!(admin.contains("<span>admin</span>"), "{admin}");
        assert!(admin.contains(r#"<a lang="en" hreflang="en" href="/lang/en?back=%2Fadmin%2Fmembers%3Fq%3D1">English</a>"#), "{admin}");
        assert!(admin.contains(r#"<a href="/admin/members" class="active" aria-current="page">"#), "{admin}");
        assert!(admin.contains(r#"<a href="/admin/outbox">"#), "{admin}");

        assert!(member.contains("<title>Page · 绿色积分</title>"), "{member}");
        assert!(member.contains(r#"<body class="member">"#), "{member}");
        assert!(member.contains(r#"<a class="brand" href="/">绿色积分</a>"#), "{member}");
        assert!(member.contains("<span>138****0001</span>"), "{member}");
        assert!(member.contains(r#"<a href="/team" class="active" aria-current="page">"#), "{member}");
        assert!(!member.contains("/admin"), "{member}");
    }
}
