//! The member portal at `/`: members read their income, team and statements on their phones and
//! ask for withdrawals. Mobile first; a member sees only their own data and their downline's summary.
mod account;
mod dashboard;
mod orders;
mod points;
mod statements;
mod team;
mod withdrawals;

use actix_web::web;

use super::MEMBER_HOME;
use super::i18n::Text;
use super::signed_in::{Chrome, SessionKind, SignedIn, SignedInForm};
use crate::domain::phone::Phone;
use crate::http::session::Kind;

pub fn configure(cfg: &mut web::ServiceConfig) {
    account::configure(cfg);
    orders::configure(cfg);
    points::configure(cfg);
    statements::configure(cfg);
    team::configure(cfg);
    withdrawals::configure(cfg);
    // Last: `/` is the member's dashboard.
    dashboard::configure(cfg);
}

/// The member portal's side of the site: members' sessions, their login page, the portal's sections.
pub struct MemberKind;

/// A member's account, as its session names it.
pub struct MemberAccount {
    pub phone: Phone,
}

impl SessionKind for MemberKind {
    type Account = MemberAccount;
    const SESSION: Kind = Kind::Member;
    const LOGIN: &'static str = "/login";
    const HOME: &'static str = MEMBER_HOME;
    const LOGOUT: &'static str = "/logout";
    /// Styled for phones.
    const BODY_CLASS: Option<&'static str> = Some("member");

    async fn account(_: &crate::graph::Graph, subject: &str) -> crate::graph::GraphResult<Option<MemberAccount>> {
        Ok(Phone::parse(subject).ok().map(|phone| MemberAccount { phone }))
    }

    fn actor(account: &MemberAccount) -> crate::domain::audit::Actor {
        crate::domain::audit::Actor::Member(account.phone.clone())
    }

    /// Masked, as on every page (138****0001).
    fn signed_in_as(account: &MemberAccount, _: &'static Text) -> String {
        account.phone.masked()
    }

    fn site_name(_: &'static Text) -> Option<&'static str> {
        None
    }

    fn navigation(t: &'static Text) -> Vec<(&'static str, &'static str, &'static str)> {
        vec![
            ("home", t.member_nav_home, "/"),
            ("team", t.member_nav_team, "/team"),
            ("statements", t.member_nav_statements, "/statements"),
            ("points", t.member_nav_points, "/points"),
            ("orders", t.member_nav_orders, "/orders"),
            ("withdrawals", t.member_nav_withdrawals, "/withdrawals"),
        ]
    }
}

/// A logged-in member, with the reader's language.
pub type Member = SignedIn<MemberKind>;
/// A form a member posted, its CSRF token checked.
pub type MemberForm<T> = SignedInForm<MemberKind, T>;
/// The member pages' name for the layout's [`Chrome`].
pub type MemberChrome = Chrome;
