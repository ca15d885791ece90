//! The dashboard: the scheme's totals (kept by `app::dashboard`), the tier distribution and a
//! chart of daily releases.
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use askama::Template;

use crate::app::dashboard::Asked;
use crate::domain::settlement::SettlementStatus;
use crate::graph::settlements::days::{self, SettlementRow};
use crate::http::AppState;
use crate::http::api::ParamsInForce;
use crate::http::pages::chart::{Chart, DayReleases, chart};
use crate::http::pages::format::{filters, local_time, yuan};
use crate::http::pages::{Admin, Chrome, PageResult, html};

pub struct Tile {
    label: &'static str,
    value: Figure,
    note: String,
}

/// A to-do tile: a figure of today, and where to act on it when there is something to do.
pub struct Todo {
    label: &'static str,
    value: Figure,
    note: String,
    href: Option<&'static str>,
}

/// What a tile shows: a count, or an amount in fen.
pub enum Figure {
    Count(i64),
    Fen(i64),
}

pub struct TierBar {
    name: String,
    members: i64,
    /// Width in percent of the largest tier's count.
    width: i64,
}

#[derive(Template)]
#[template(path = "admin/dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    tiles: Vec<Tile>,
    /// Today's to-dos: what waits for a decision, and what came in since midnight.
    todos: Vec<Todo>,
    tiers: Vec<TierBar>,
    /// The latest settled day and what it released: (label, fen) of each kind.
    latest: Option<(String, Vec<(&'static str, i64)>)>,
    chart: Chart,
    as_of: String,
}

pub async fn page(state: web::Data<AppState>, admin: Admin, req: HttpRequest) -> PageResult {
    let t = admin.t();
    let params = ParamsInForce::today(&state).await.map_err(|e| admin.refused(e))?;
    let asked = Asked { tier_thresholds_fen: params.tier_thresholds_fen(), tz: state.tz };
    let figures = state.dashboard.figures(&state.graph, asked).await.map_err(|e| admin.refused(e))?;
    let days = days::history(&state.graph, None, 30).await.map_err(|e| admin.refused(e))?;
    let settled: Vec<SettlementRow> = days.into_iter().filter(|d| d.status == SettlementStatus::Settled).collect();
    let b = &figures.balances;
    let tiles = vec![
        Tile { label: t.members, value: Figure::Count(b.members), note: String::new() },
        Tile {
            label: t.orders,
            value: Figure::Count(figures.orders.orders),
            note: format!("{} {}", figures.orders.refunded.unwrap_or(0), t.refunded_orders),
        },
        Tile { label: t.points_in_pools, value: Figure::Fen(b.pool_fen.unwrap_or(0)), note: String::new() },
        Tile { label: t.available, value: Figure::Fen(b.available_fen.unwrap_or(0)), note: String::new() },
        Tile { label: t.frozen, value: Figure::Fen(b.frozen_fen.unwrap_or(0)), note: String::new() },
    ];
    let todos = vec![
        Todo {
            label: t.todo_pending_withdrawals,
            value: Figure::Count(figures.pending.count),
            note: format!("{} {}", t.amount, yuan(figures.pending.amount_fen)),
            href: (figures.pending.count > 0).then_some("/admin/withdrawals?status=requested"),
        },
        Todo {
            label: t.todo_orders_today,
            value: Figure::Count(figures.orders.paid_since.unwrap_or(0)),
            note: format!("{} {}", t.todo_sales, yuan(figures.orders.sales_since_fen.unwrap_or(0))),
            href: None,
        },
        Todo {
            label: t.todo_new_members,
            value: Figure::Count(figures.balances.joined_since.unwrap_or(0)),
            note: String::new(),
            href: None,
        },
    ];
    let widest = figures.tiers.iter().map(|c| c.members).max().unwrap_or(1).max(1);
    let tiers = figures
        .tiers
        .iter()
        .map(|c| TierBar {
            name: params.tier_name(c.tier_rank).unwrap_or_else(|| t.no_tier.to_string()),
            members: c.members,
            width: c.members * 100 / widest,
        })
        .collect();
    let latest = settled.first().map(|d| (d.day.to_string(), t.kinds().zip(d.totals.map(|m| m.fen())).into_array().to_vec()));
    let page = DashboardPage {
        chrome: Chrome::of(&admin, "dashboard", &req),
        tiles,
        todos,
        tiers,
        latest,
        chart: chart(&settled.iter().map(DayReleases::from).collect::<Vec<_>>()),
        as_of: local_time(figures.at_ms, state.tz, true),
    };
    html(StatusCode::OK, &page)
}
