//! The member's home page: balances, the latest settled day's income by kind, level, tier and
//! progress, team performance split cash / points, a chart of the member's last 30 settled days,
//! and the invitation link.
use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use askama::Template;

use super::{Member, MemberChrome};
use crate::graph::settlements::statements;
use crate::http::AppState;
use crate::http::api::me::{MeView, me_view, settled_days};
use crate::http::api::members::MemberFigures;
use crate::http::pages::chart::{Chart, DayReleases, chart};
use crate::http::pages::format::yuan;
use crate::http::pages::{PageResult, html};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(page));
}

/// Settled days the chart shows.
const CHART_DAYS: i64 = 30;

/// The latest settled day's income: the day, each kind with its amount, the total.
pub struct Latest {
    day: String,
    kinds: Vec<(&'static str, &'static str, String)>,
    total: String,
    any: bool,
}

#[derive(Template)]
#[template(path = "member/dashboard.html")]
struct DashboardPage {
    chrome: MemberChrome,
    m: MemberFigures,
    pool: String,
    available: String,
    frozen: String,
    team_volume: String,
    team_volume_cash: String,
    team_volume_points: String,
    /// (next tier, volume still needed, percent reached), or None at the top.
    progress: Option<(String, String, i64)>,
    latest: Option<Latest>,
    chart: Chart,
    invitation: String,
}

async fn page(state: web::Data<AppState>, member: Member, req: HttpRequest) -> PageResult {
    let t = member.t();
    let MeView { figures: m, next_tier, latest, invitation_path, .. } = me_view(&state, &member.phone).await.map_err(|e| member.refused(e))?;
    let latest = latest.map(|d| {
        let a = &d.amounts;
        let mut kinds = vec![
            ("static", t.kind_static, yuan(a.r#static.fen())),
            ("share_g1", t.kind_share_g1, yuan(a.share_g1.fen())),
            ("share_g2", t.kind_share_g2, yuan(a.share_g2.fen())),
            ("team", t.kind_team, yuan(a.team.fen())),
            ("peer", t.kind_peer, yuan(a.peer.fen())),
        ];
        if !a.forfeited.is_zero() {
            kinds.push(("forfeited", t.kind_forfeited, yuan(a.forfeited.fen())));
        }
        Latest { day: d.date.to_string(), kinds, total: yuan(d.total.fen()), any: !d.total.is_zero() || !a.forfeited.is_zero() }
    });
    // The member's last 30 settled days: the days from the settlements, the amounts from the
    // member's statements of those days (none: nothing moved that day).
    let days = settled_days(&state, CHART_DAYS).await.map_err(|e| member.refused(e))?;
    let mut statements = HashMap::new();
    if let (Some(newest), Some(oldest)) = (days.first(), days.last()) {
        let rows = statements::of_member(&state.graph, member.phone.as_str(), oldest.day, newest.day).await.map_err(|e| member.refused(e))?;
        statements = rows.into_iter().map(|r| (r.day, r)).collect();
    }
    let releases: Vec<DayReleases> = days
        .iter()
        .map(|d| match statements.get(&d.day) {
            Some(s) => DayReleases {
                day: d.day.to_string(),
                static_fen: s.amounts.r#static.fen(),
                share_fen: s.amounts.share_g1.fen() + s.amounts.share_g2.fen(),
                team_fen: s.amounts.team.fen(),
                peer_fen: s.amounts.peer.fen(),
            },
            None => DayReleases { day: d.day.to_string(), static_fen: 0, share_fen: 0, team_fen: 0, peer_fen: 0 },
        })
        .collect();
    let info = req.connection_info();
    let invitation = format!("{}://{}{invitation_path}", info.scheme(), info.host());
    let page = DashboardPage {
        chrome: MemberChrome::of(&member, "home", &req),
        pool: yuan(m.pool.fen()),
        available: yuan(m.available.fen()),
        frozen: yuan(m.frozen.fen()),
        team_volume: yuan(m.team_volume.fen()),
        team_volume_cash: yuan(m.team_volume_cash.fen()),
        team_volume_points: yuan(m.team_volume_points.fen()),
        progress: next_tier.map(|n| (n.name, yuan(n.needed.fen()), n.percent)),
        latest,
        chart: chart(&releases),
        invitation,
        m,
    };
    html(StatusCode::OK, &page)
}
