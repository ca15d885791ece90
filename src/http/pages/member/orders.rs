//! 我的订单: the member's latest orders, each with the points it granted, what its pool has
//! released and what remains, and its status (releasing, exited, refunded).
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use askama::Template;

use super::{Member, MemberChrome};
use crate::graph::orders;
use crate::http::AppState;
use crate::http::pages::format::filters;
use crate::http::pages::order_line::OrderLine;
use crate::http::pages::{PageResult, html};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/orders", web::get().to(page));
}

/// The orders shown, the latest paid first; a member with more is told it sees the latest.
const SHOWN: usize = 50;

#[derive(Template)]
#[template(path = "member/orders.html")]
struct OrdersPage {
    chrome: MemberChrome,
    lines: Vec<OrderLine>,
    /// More orders than are shown.
    more: bool,
    shown: usize,
}

async fn page(state: web::Data<AppState>, member: Member, req: HttpRequest) -> PageResult {
    let mut rows = orders::of_member(&state.graph, member.phone.as_str(), None, SHOWN as i64 + 1).await.map_err(|e| member.refused(e))?;
    let more = rows.len() > SHOWN;
    rows.truncate(SHOWN);
    let lines = rows.into_iter().map(|o| OrderLine::of(o, state.tz)).collect();
    html(StatusCode::OK, &OrdersPage { chrome: MemberChrome::of(&member, "orders", &req), lines, more, shown: SHOWN })
}
