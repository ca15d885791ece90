//! The audit log page: who did what to which target, the newest first, a page at a time. Its
//! paging (a cursor naming the last row shown) is shared with the outbox and withdrawals pages.
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use askama::Template;
use serde::Deserialize;

use crate::graph::audit;
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::pages::format::local_time;
use crate::http::pages::{Admin, Chrome, PageResult, html};
use crate::http::paging;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/audit", web::get().to(page));
}

/// Rows a page.
pub(super) const PAGE_SIZE: i64 = 50;

#[derive(Deserialize)]
pub(super) struct CursorQuery {
    pub cursor: Option<String>,
}

/// The position (milliseconds, id) of the last row of the previous page, from a page's cursor.
pub(super) fn position(cursor: Option<&str>) -> Result<Option<(i64, String)>, ApiError> {
    cursor.filter(|c| !c.is_empty()).map(paging::decode::<(i64, String)>).transpose()
}

/// Cuts off the row read beyond a page (rows are read `PAGE_SIZE + 1` at a time) and returns
/// the next page's cursor when there is such a row. Cursors are base64url: safe in a link as they are.
pub(super) fn next_page<T>(rows: &mut Vec<T>, position: impl Fn(&T) -> (i64, String)) -> Option<String> {
    if rows.len() as i64 <= PAGE_SIZE {
        return None;
    }
    rows.truncate(PAGE_SIZE as usize);
    rows.last().map(|row| paging::encode(&position(row)))
}

struct Line {
    at: String,
    actor: String,
    action: String,
    target: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    chrome: Chrome,
    lines: Vec<Line>,
    /// The cursor of the next (older) page.
    older: Option<String>,
    /// Whether this is a later page, which links back to the newest.
    paged: bool,
}

async fn page(state: web::Data<AppState>, admin: Admin, req: HttpRequest, query: web::Query<CursorQuery>) -> PageResult {
    let before = position(query.cursor.as_deref()).map_err(|e| admin.refused(e))?;
    let paged = before.is_some();
    let mut rows = audit::list(&state.graph, before, PAGE_SIZE + 1).await.map_err(|e| admin.refused(e))?;
    let older = next_page(&mut rows, |row| (row.at_ms, row.id.clone()));
    let lines = rows
        .into_iter()
        .map(|row| Line {
            at: local_time(row.at_ms, state.tz, true),
            actor: row.actor,
            action: row.action,
            target: row.target,
            detail: row.detail,
        })
        .collect();
    html(StatusCode::OK, &AuditPage { chrome: Chrome::of(&admin, "audit", &req), lines, older, paged })
}
