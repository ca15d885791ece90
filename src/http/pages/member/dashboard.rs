//! The member's home page. Placeholder: filled in by the member portal work.
use actix_web::{HttpRequest, web};
use askama::Template;

use super::{Member, MemberChrome};
use crate::http::pages::{PageResult, html};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(page));
}

#[derive(Template)]
#[template(path = "member/dashboard.html")]
struct DashboardPage {
    chrome: MemberChrome,
}

async fn page(member: Member, req: HttpRequest) -> PageResult {
    html(actix_web::http::StatusCode::OK, &DashboardPage { chrome: MemberChrome::of(&member, "home", &req) })
}
