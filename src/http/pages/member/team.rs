//! The member's team: three generations below the member (all, or one generation), by generation
//! then phone, a page at a time. Phones are masked and no balances are shown; each listed member's
//! team size and volume cover everything below it. Every page is one query over the three
//! generations, whatever the size of the whole team; the position in the link names no one.
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use askama::Template;
use serde::Deserialize;

use super::{Member, MemberChrome};
use crate::domain::money::Money;
use crate::graph::members::TEAM_GENERATIONS;
use crate::http::AppState;
use crate::http::api::me::{TeamMember, me_view, team_page};
use crate::http::api::members::MemberFigures;
use crate::http::pages::format::filters;
use crate::http::pages::{PageResult, html};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/team", web::get().to(page));
}

const PAGE: i64 = 30;

/// A listed member.
pub struct Line {
    phone: String,
    depth: i64,
    tier: Option<String>,
    team_volume: Money,
    team_size: i64,
    direct_count: i64,
}

impl From<TeamMember> for Line {
    fn from(m: TeamMember) -> Line {
        Line {
            team_volume: m.team_volume,
            phone: m.phone,
            depth: m.depth,
            tier: m.tier,
            team_size: m.team_size,
            direct_count: m.direct_count,
        }
    }
}

#[derive(Template)]
#[template(path = "member/team.html")]
struct TeamPage {
    chrome: MemberChrome,
    m: MemberFigures,
    /// The tabs: (generation or 0 for all, label, href).
    tabs: Vec<(i64, &'static str, String)>,
    generation: i64,
    lines: Vec<Line>,
    next: Option<String>,
    first: Option<String>,
}

/// Anything else in the query (another member's phone, say) is ignored: the page is always the reader's own team.
#[derive(Deserialize)]
pub struct TeamQuery {
    generation: Option<String>,
    from: Option<String>,
}

fn href(generation: i64, from: i64) -> String {
    match (generation, from) {
        (0, 0) => "/team".to_string(),
        (0, from) => format!("/team?from={from}"),
        (g, 0) => format!("/team?generation={g}"),
        (g, from) => format!("/team?generation={g}&from={from}"),
    }
}

async fn page(state: web::Data<AppState>, member: Member, req: HttpRequest, query: web::Query<TeamQuery>) -> PageResult {
    let t = member.t();
    let generation =
        query.generation.as_deref().and_then(|g| g.parse::<i64>().ok()).filter(|g| (1..=TEAM_GENERATIONS).contains(g)).unwrap_or(0);
    let from = query.from.as_deref().and_then(|f| f.parse::<i64>().ok()).filter(|f| *f >= 0).unwrap_or(0);
    let m = me_view(&state, &member.phone).await.map_err(|e| member.refused(e))?.figures;
    let (items, next) =
        team_page(&state, &member.phone, (generation > 0).then_some(generation), from, PAGE).await.map_err(|e| member.refused(e))?;
    let page = TeamPage {
        chrome: MemberChrome::of(&member, "team", &req),
        m,
        tabs: vec![(0, t.me_gen_all, href(0, 0)), (1, t.me_gen_1, href(1, 0)), (2, t.me_gen_2, href(2, 0)), (3, t.me_gen_3, href(3, 0))],
        generation,
        lines: items.into_iter().map(Line::from).collect(),
        next: next.map(|n| href(generation, n)),
        first: (from > 0).then(|| href(generation, 0)),
    };
    html(StatusCode::OK, &page)
}
