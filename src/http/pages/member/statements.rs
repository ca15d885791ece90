//! The member's daily statements, the latest first, a page at a time, and one day's statement with
//! the sources of every share, team and peer amount (per direct-referral branch, phones masked).
//! Only the reader's own statements: the path names a day, never a member.
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use askama::Template;
use serde::Deserialize;

use super::{Member, MemberChrome};
use crate::domain::day::BusinessDay;
use crate::domain::error_code::ErrorCode;
use crate::domain::money::Money;
use crate::graph::settlements::statements;
use crate::http::AppState;
use crate::http::api::me::own_statement;
use crate::http::api::settlements::StatementWithSources;
use crate::http::error::ApiError;
use crate::http::pages::format::filters;
use crate::http::pages::{PageResult, html};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/statements", web::get().to(list)).route("/statements/{day}", web::get().to(statement));
}

const PAGE: i64 = 20;

pub struct Line {
    day: String,
    total_fen: i64,
    /// (label, fen) of each kind with an amount.
    kinds: Vec<(&'static str, i64)>,
}

#[derive(Template)]
#[template(path = "member/statements.html")]
struct ListPage {
    chrome: MemberChrome,
    lines: Vec<Line>,
    older: Option<String>,
    newest: bool,
}

/// Anything else in the query is ignored.
#[derive(Deserialize)]
pub struct ListQuery {
    before: Option<String>,
}

async fn list(state: web::Data<AppState>, member: Member, req: HttpRequest, query: web::Query<ListQuery>) -> PageResult {
    let t = member.t();
    let before = query.before.as_deref().and_then(|b| BusinessDay::parse(b).ok());
    let mut rows =
        statements::page_of_member(&state.graph, member.phone.as_str(), before, PAGE + 1).await.map_err(|e| member.refused(e))?;
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    let older = if more { rows.last().map(|r| format!("/statements?before={}", r.day)) } else { None };
    let lines = rows
        .iter()
        .map(|s| Line {
            day: s.day.to_string(),
            total_fen: s.credited.fen(),
            kinds: t.kinds().zip(s.amounts.map(Money::fen)).into_array().into_iter().filter(|(_, fen)| *fen != 0).collect(),
        })
        .collect();
    let page = ListPage { chrome: MemberChrome::of(&member, "statements", &req), lines, older, newest: before.is_some() };
    html(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "member/statement.html")]
struct StatementPage {
    chrome: MemberChrome,
    s: StatementWithSources,
}

/// The reader's statement of a day; 404 when the reader has none that day (whoever else has).
async fn statement(state: web::Data<AppState>, member: Member, req: HttpRequest, path: web::Path<String>) -> PageResult {
    let day = BusinessDay::parse(&path).map_err(|_| member.refused(no_such_day(&path)))?;
    let s = own_statement(&state, &member.phone, day).await.map_err(|e| member.refused(e))?;
    html(StatusCode::OK, &StatementPage { chrome: MemberChrome::of(&member, "statements", &req), s })
}

/// A path that is not a day names no statement.
fn no_such_day(path: &str) -> ApiError {
    ApiError::refused(ErrorCode::StatementNotFound, format!("no statement on {path:?}"))
}
