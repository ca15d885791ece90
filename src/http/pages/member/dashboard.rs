//! The member's home page: balances, the latest settled day's income by kind, level, tier and
//! progress, team performance split cash / points, a chart of the member's last 30 settled days,
//! and the invitation link (by the member's invitation code) with its QR code.
use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use askama::Template;

use super::{Member, MemberChrome};
use crate::domain::money::Money;
use crate::graph::settlements::statements;
use crate::http::AppState;
use crate::http::api::me::{MeView, me_view, settled_days};
use crate::http::api::members::MemberFigures;
use crate::http::pages::chart::{Chart, DayReleases, chart};
use crate::http::pages::format::{filters, percent};
use crate::http::pages::{PageResult, html};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(page));
}

/// Settled days the chart shows.
const CHART_DAYS: i64 = 30;

/// The latest settled day's income: the day, each kind (key, label, amount), the total.
pub struct Latest {
    day: String,
    kinds: Vec<(&'static str, &'static str, Money)>,
    total: Money,
    any: bool,
}

#[derive(Template)]
#[template(path = "member/dashboard.html")]
struct DashboardPage {
    chrome: MemberChrome,
    m: MemberFigures,
    /// (next tier, volume still needed, percent reached), or None at the top.
    progress: Option<(String, Money, i64)>,
    latest: Option<Latest>,
    chart: Chart,
    invitation: String,
    invitation_code: String,
    /// The invitation link as a QR code: an inline `<svg>` drawn here (no image is fetched).
    invitation_qr: String,
    /// For a member with nothing yet, how points are earned under the scheme's parameters.
    how_to_earn: Option<HowToEarn>,
}

/// How points are earned, in the figures of the version in force: each order level's threshold
/// and multiplier, the daily release rate, the share rates by generation.
pub struct HowToEarn {
    /// (level name, the smallest order amount, the multiplier).
    levels: Vec<(String, Money, String)>,
    release_rate: String,
    /// The share income of each generation: (label, rate).
    shares: String,
}

impl HowToEarn {
    fn of(params: &crate::domain::params::Params, t: &'static crate::http::pages::i18n::Text) -> HowToEarn {
        let generations = [t.kind_share_g1, t.kind_share_g2];
        let shares = params.share_rates().iter().zip(generations).map(|(rate, label)| format!("{label} {}", percent(rate.as_decimal())));
        HowToEarn {
            levels: params.order_levels().iter().map(|l| (l.name.clone(), l.min_amount, format!("×{}", l.multiplier))).collect(),
            release_rate: percent(params.release_rate().as_decimal()),
            shares: shares.collect::<Vec<_>>().join(t.list_separator),
        }
    }
}

async fn page(state: web::Data<AppState>, member: Member, req: HttpRequest) -> PageResult {
    let t = member.t();
    let MeView { figures: m, next_tier, latest, invitation_code, invitation_path, .. } =
        me_view(&state, &member.phone).await.map_err(|e| member.refused(e))?;
    let latest = latest.map(|d| {
        let a = &d.amounts;
        let mut kinds = vec![
            ("static", t.kind_static, a.r#static),
            ("share_g1", t.kind_share_g1, a.share_g1),
            ("share_g2", t.kind_share_g2, a.share_g2),
            ("team", t.kind_team, a.team),
            ("peer", t.kind_peer, a.peer),
        ];
        if !a.forfeited.is_zero() {
            kinds.push(("forfeited", t.kind_forfeited, a.forfeited));
        }
        Latest { day: d.date.to_string(), kinds, total: d.total, any: !d.total.is_zero() || !a.forfeited.is_zero() }
    });
    // The member's last 30 settled days: the days from the settlements, the amounts from the
    // member's statements of those days (none: nothing moved that day).
    let days = settled_days(&state, CHART_DAYS).await.map_err(|e| member.refused(e))?;
    let mut statements = HashMap::new();
    if let (Some(newest), Some(oldest)) = (days.first(), days.last()) {
        let rows =
            statements::of_member(&state.graph, member.phone.as_str(), oldest.day, newest.day).await.map_err(|e| member.refused(e))?;
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
                forfeited_fen: s.amounts.forfeited.fen(),
            },
            None => DayReleases { day: d.day.to_string(), static_fen: 0, share_fen: 0, team_fen: 0, peer_fen: 0, forfeited_fen: 0 },
        })
        .collect();
    let invitation = match &state.public_url {
        Some(base) => format!("{base}{invitation_path}"),
        None => {
            let info = req.connection_info();
            format!("{}://{}{invitation_path}", info.scheme(), info.host())
        }
    };
    let invitation_qr = qr_svg(&invitation);
    // Nothing in the pools, nothing to spend and no order yet: the page explains how that changes.
    let newcomer = m.pool.is_zero() && m.available.is_zero() && m.frozen.is_zero() && m.level.is_none();
    let how_to_earn = if newcomer {
        let params = crate::http::api::ParamsInForce::today(&state).await.map_err(|e| member.refused(e))?;
        Some(HowToEarn::of(&params, t))
    } else {
        None
    };
    let page = DashboardPage {
        chrome: MemberChrome::of(&member, "home", &req),
        progress: next_tier.map(|n| (n.name, n.needed, n.percent)),
        latest,
        chart: chart(&releases),
        invitation,
        invitation_code,
        invitation_qr,
        how_to_earn,
        m,
    };
    html(StatusCode::OK, &page)
}

/// `text` as a QR code (error correction M), an `<svg>` element to put inline in a page: dark
/// modules on white with the quiet zone, scaled by its `viewBox` (no XML prolog, no script, no
/// style attribute, so the page's `default-src 'self'` allows it). Empty for text too long for a
/// QR code (an invitation link never is).
pub fn qr_svg(text: &str) -> String {
    use qrcode::render::svg;
    match qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M) {
        Ok(code) => {
            let drawn = code
                .render::<svg::Color<'_>>()
                .min_dimensions(180, 180)
                .dark_color(svg::Color("#000"))
                .light_color(svg::Color("#fff"))
                .build();
            // The renderer starts with an XML declaration, which has no place inside HTML.
            match drawn.find("<svg") {
                Some(start) => drawn[start..].to_string(),
                None => drawn,
            }
        }
        Err(error) => {
            tracing::warn!(%error, "no QR code for an invitation link");
            String::new()
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_qr_code_is_an_inline_svg_element() {
        let svg = super::qr_svg("https://points.example.com/register?code=7K3M9Q2X");
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"), "{svg}");
        assert!(!svg.contains("<?xml") && !svg.contains("<script") && !svg.contains("style="));
        assert!(svg.contains("<path"), "it draws the modules");
    }
}
