//! 积分明细: every change of the member's available and frozen points, the latest first, a page at
//! a time: each settled day's release (by kind), and each movement (points paid for an order and
//! returned by its refund, an adjustment with its reason, a withdrawal frozen, returned or paid).
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use askama::Template;
use chrono::DateTime;
use serde::Deserialize;

use super::{Member, MemberChrome};
use crate::domain::day::BusinessDay;
use crate::domain::money::Money;
use crate::graph::ledger;
use crate::graph::settlements::statements;
use crate::http::AppState;
use crate::http::pages::format::{filters, local_time, yuan};
use crate::http::pages::{PageResult, html};
use crate::http::paging;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/points", web::get().to(page));
}

const PAGE: usize = 20;

/// One line of the ledger, with its place in it: (milliseconds, id), the latest first.
pub struct Line {
    at_ms: i64,
    id: String,
    /// When, as the page shows it.
    at: String,
    what: &'static str,
    /// What it is of: the kinds of a day's release, an adjustment's reason, an order's id.
    detail: String,
    /// `adjustment`, `release`, …, for the page's styling and the tests.
    kind: String,
    available_fen: i64,
    frozen_fen: i64,
}

#[derive(Template)]
#[template(path = "member/points.html")]
struct PointsPage {
    chrome: MemberChrome,
    lines: Vec<Line>,
    older: Option<String>,
    newest: bool,
}

/// Anything else in the query is ignored.
#[derive(Deserialize)]
pub struct PointsQuery {
    cursor: Option<String>,
}

/// A settled day's release counts when the day has ended: at the start of the next one.
fn released_at_ms(day: BusinessDay, state: &AppState) -> i64 {
    day.succ().start_utc(state.tz).timestamp_millis()
}

async fn page(state: web::Data<AppState>, member: Member, req: HttpRequest, query: web::Query<PointsQuery>) -> PageResult {
    let t = member.t();
    // A cursor this server did not give shows the first page.
    let before: Option<(i64, String)> = query.cursor.as_deref().and_then(|c| paging::decode(c).ok());
    let newest = before.is_some();
    let phone = member.phone.as_str();
    let position = before.as_ref().map(|(ms, id)| (*ms, id.as_str()));
    let movements = ledger::movements_of(&state.graph, phone, position, PAGE as i64 + 1).await.map_err(|e| member.refused(e))?;
    // Days up to the one the position falls on; that day itself is released after the position.
    let through = position.map(|(ms, _)| BusinessDay::of(DateTime::from_timestamp_millis(ms).unwrap_or_default(), state.tz).succ());
    let days = statements::page_of_member(&state.graph, phone, through, PAGE as i64 + 2).await.map_err(|e| member.refused(e))?;

    let mut lines: Vec<Line> = movements
        .into_iter()
        .map(|m| Line {
            at: local_time(m.at_ms, state.tz, false),
            what: t.movement(&m.kind),
            // A withdrawal by the start of its id, as its list shows it.
            detail: match m.reason.filter(|r| !r.is_empty()) {
                Some(reason) => reason,
                None if m.kind.starts_with("withdrawal") => m.reference.chars().take(8).collect(),
                None => m.reference,
            },
            kind: m.kind,
            available_fen: m.available_fen,
            frozen_fen: m.frozen_fen,
            at_ms: m.at_ms,
            id: m.id,
        })
        .collect();
    lines.extend(days.into_iter().filter(|s| s.credited.fen() > 0 || s.amounts.forfeited.fen() > 0).map(|s| {
        let kinds: Vec<String> = t
            .kinds()
            .zip(s.amounts.map(Money::fen))
            .into_array()
            .into_iter()
            .filter(|(_, fen)| *fen > 0)
            .map(|(label, fen)| format!("{label} {}", yuan(fen)))
            .collect();
        Line {
            at_ms: released_at_ms(s.day, &state),
            id: format!("day:{}", s.day),
            at: s.day.to_string(),
            what: t.points_release,
            detail: kinds.join(" · "),
            kind: "release".into(),
            available_fen: s.credited.fen(),
            frozen_fen: 0,
        }
    }));
    lines.retain(|line| position.is_none_or(|(ms, id)| (line.at_ms, line.id.as_str()) < (ms, id)));
    lines.sort_by(|a, b| (b.at_ms, &b.id).cmp(&(a.at_ms, &a.id)));
    let older = (lines.len() > PAGE).then(|| {
        lines.truncate(PAGE);
        let last = lines.last().expect("a full page");
        format!("/points?cursor={}", paging::encode(&(last.at_ms, &last.id)))
    });
    html(StatusCode::OK, &PointsPage { chrome: MemberChrome::of(&member, "points", &req), lines, older, newest })
}
