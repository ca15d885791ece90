//! The member portal at `/`: members read their income, team and statements on their phones and
//! ask for withdrawals. Mobile first; a member sees only their own data and their downline's summary.
mod account;
mod dashboard;
mod statements;
mod team;
mod withdrawals;

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, web};
use serde::de::DeserializeOwned;

use super::i18n::{Lang, Text};
use super::{MEMBER_HOME, PageError, checked_fields, login_required, signed_in, urlencode};
use crate::domain::phone::Phone;
use crate::http::error::ApiError;
use crate::http::session::{Kind, Session};

pub fn configure(cfg: &mut web::ServiceConfig) {
    account::configure(cfg);
    statements::configure(cfg);
    team::configure(cfg);
    withdrawals::configure(cfg);
    // Last: `/` is the member's dashboard.
    dashboard::configure(cfg);
}

/// A logged-in member, with the reader's language. Pages that take it send everyone else to `/login`.
pub struct Member {
    pub session: Session,
    pub phone: Phone,
    pub lang: Lang,
}

impl Member {
    pub fn t(&self) -> &'static Text {
        self.lang.text()
    }

    /// Who did it, for the audit log.
    pub fn actor(&self) -> String {
        format!("member:{}", self.phone)
    }

    /// Why an action was refused, in this member's language (the message as it is when the code has no text).
    pub fn reason(&self, error: &ApiError) -> String {
        self.t().refusal(error.code()).map_or_else(|| error.message().to_string(), str::to_string)
    }

    /// A refusal in this member's language.
    pub fn refused(&self, error: impl Into<ApiError>) -> PageError {
        PageError::from_api(self.lang, MEMBER_HOME, error.into())
    }
}

async fn member_of(req: &HttpRequest) -> Result<Member, PageError> {
    let (session, lang) = signed_in(req, Kind::Member, "/login", MEMBER_HOME).await?;
    let phone = Phone::parse(&session.subject).map_err(|_| login_required(req, "/login", MEMBER_HOME))?;
    Ok(Member { session, phone, lang })
}

impl FromRequest for Member {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { member_of(&req).await })
    }
}

/// A form a member posted: the session is checked first, then the form's CSRF token, and only
/// then are the fields read. Anything else changes nothing.
pub struct MemberForm<T> {
    pub member: Member,
    pub fields: T,
}

impl<T: DeserializeOwned + 'static> FromRequest for MemberForm<T> {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let member = member_of(&req).await?;
            let fields = checked_fields(&member.session, member.lang, MEMBER_HOME, body.await)?;
            Ok(MemberForm { member, fields })
        })
    }
}

/// What every member page's layout shows: the words, whose pages these are, the form token, where the reader is.
pub struct MemberChrome {
    pub t: &'static Text,
    pub lang: Lang,
    /// The member's phone, masked as on every page (138****0001).
    pub masked_phone: String,
    pub csrf: String,
    /// The section of the navigation to mark (`home`, `team`, `statements`, `withdrawals`).
    pub section: &'static str,
    /// This page's path, for the language switch to come back to.
    pub here: String,
    /// The sections of the portal: (key, label, path).
    pub nav: [(&'static str, &'static str, &'static str); 4],
}

impl MemberChrome {
    pub fn of(member: &Member, section: &'static str, req: &HttpRequest) -> MemberChrome {
        let t = member.t();
        MemberChrome {
            t,
            lang: member.lang,
            masked_phone: member.phone.masked(),
            csrf: member.session.csrf.clone(),
            section,
            here: urlencode(req.uri().path_and_query().map_or("/", |p| p.as_str())),
            nav: [
                ("home", t.member_nav_home, "/"),
                ("team", t.member_nav_team, "/team"),
                ("statements", t.member_nav_statements, "/statements"),
                ("withdrawals", t.member_nav_withdrawals, "/withdrawals"),
            ],
        }
    }
}
