//! The development SMS sender's outbox: the messages it kept instead of sending, the newest first.
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use askama::Template;

use super::audit::{CursorQuery, PAGE_SIZE, next_page, position};
use crate::app::sms::Purpose;
use crate::domain::role::Permission;
use crate::graph::sms;
use crate::http::AppState;
use crate::http::pages::format::local_time;
use crate::http::pages::i18n::Text;
use crate::http::pages::{Admin, Chrome, PageResult, html};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/outbox", web::get().to(page));
}

struct Message {
    at: String,
    phone: String,
    purpose: String,
    text: String,
}

#[derive(Template)]
#[template(path = "admin/outbox.html")]
struct OutboxPage {
    chrome: Chrome,
    messages: Vec<Message>,
    /// The cursor of the next (older) page.
    older: Option<String>,
    /// Whether this is a later page, which links back to the newest.
    paged: bool,
}

/// Only roles that act for members see it: its messages carry live login and reset codes.
async fn page(state: web::Data<AppState>, admin: Admin, req: HttpRequest, query: web::Query<CursorQuery>) -> PageResult {
    admin.require(Permission::ReadOutbox)?;
    let before = position(query.cursor.as_deref()).map_err(|e| admin.refused(e))?;
    let paged = before.is_some();
    let mut rows = sms::outbox(&state.graph, before, PAGE_SIZE + 1).await.map_err(|e| admin.refused(e))?;
    let older = next_page(&mut rows, |row| (row.at_ms, row.id.clone()));
    let messages = rows
        .into_iter()
        .map(|row| Message {
            at: local_time(row.at_ms, state.tz, true),
            phone: row.phone,
            purpose: purpose(admin.t(), &row.purpose),
            text: row.text,
        })
        .collect();
    html(StatusCode::OK, &OutboxPage { chrome: Chrome::of(&admin, "outbox", &req), messages, older, paged })
}

/// What a message was sent for, in the reader's language; a purpose this version does not know as it is.
fn purpose(t: &Text, stored: &str) -> String {
    match Purpose::stored(stored) {
        Some(Purpose::Reset) => t.purpose_reset.to_string(),
        Some(Purpose::Change) => t.purpose_change.to_string(),
        Some(Purpose::Register) => t.purpose_register.to_string(),
        Some(Purpose::Login) => t.purpose_login.to_string(),
        None => stored.to_string(),
    }
}
