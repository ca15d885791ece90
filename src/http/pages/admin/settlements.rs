//! Settlements: run a day (catching up), preview the next unsettled day, the history with totals
//! and parameter versions, a day's payout table (paged, sortable) and its CSV export.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use askama::Template;
use serde::Deserialize;

use crate::app::settle;
use crate::domain::day::BusinessDay;
use crate::domain::error_code::ErrorCode;
use crate::domain::money::Money;
use crate::domain::role::Permission;
use crate::domain::settlement::SettlementStatus;
use crate::graph::GraphResult;
use crate::graph::settlements::days::{self, SettlementRow};
use crate::graph::settlements::statements::{self as statement_rows, PayoutAmounts};
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::pages::format::{filters, local_time};
use crate::http::pages::i18n::Text;
use crate::http::pages::{Admin, AdminForm, Chrome, PageError, PageResult, html, see_other, urlencode};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/settlements", web::get().to(history))
        .route("/settlements/run", web::post().to(run))
        .route("/settlements/preview", web::get().to(preview))
        .route("/settlements/{day}", web::get().to(day_page))
        .route("/settlements/{day}/payouts.csv", web::get().to(csv_export));
}

const HISTORY_PAGE: i64 = 30;
const PAYOUT_PAGE: usize = 50;

/// A settlement in the history table.
pub struct DayLine {
    day: String,
    settled: bool,
    /// The status in the reader's language.
    status: &'static str,
    params_version: i64,
    static_fen: i64,
    share_fen: i64,
    team_fen: i64,
    peer_fen: i64,
    forfeited_fen: i64,
    members_paid: i64,
    settled_at: String,
}

fn day_line(row: &SettlementRow, state: &AppState, t: &'static Text) -> DayLine {
    let settled = row.status == SettlementStatus::Settled;
    DayLine {
        day: row.day.to_string(),
        settled,
        status: if settled { t.settlement_settled } else { t.settlement_running },
        params_version: row.params_version,
        static_fen: row.totals.r#static.fen(),
        share_fen: row.totals.share_g1.fen() + row.totals.share_g2.fen(),
        team_fen: row.totals.team.fen(),
        peer_fen: row.totals.peer.fen(),
        forfeited_fen: row.totals.forfeited.fen(),
        members_paid: row.members_paid,
        settled_at: row.settled_at_ms.map(|ms| local_time(ms, state.tz, true)).unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "admin/settlements.html")]
struct HistoryPage {
    chrome: Chrome,
    target: String,
    next_unsettled: String,
    error: Option<String>,
    settled: Option<Vec<String>>,
    days: Vec<DayLine>,
    older: Option<String>,
    /// The admin's role runs and previews settlements.
    may_settle: bool,
}

#[derive(Deserialize)]
pub struct HistoryQuery {
    before: Option<String>,
    settled: Option<String>,
}

/// The next day a run or a preview would settle: the day after the latest settled one, or
/// yesterday before the first settlement.
async fn next_unsettled(state: &AppState) -> GraphResult<BusinessDay> {
    Ok(match days::last_settled_day(&state.graph).await? {
        Some(day) => day.succ(),
        None => state.today().pred(),
    })
}

async fn render_history(
    state: &AppState,
    admin: &Admin,
    req: &HttpRequest,
    before: Option<BusinessDay>,
    settled: Option<Vec<String>>,
    error: Option<(StatusCode, String)>,
) -> PageResult {
    let mut rows = days::history(&state.graph, before, HISTORY_PAGE + 1).await.map_err(|e| admin.refused(e))?;
    let older = if rows.len() as i64 > HISTORY_PAGE {
        rows.truncate(HISTORY_PAGE as usize);
        rows.last().map(|r| r.day.to_string())
    } else {
        None
    };
    let next = next_unsettled(state).await.map_err(|e| admin.refused(e))?;
    let status = error.as_ref().map_or(StatusCode::OK, |(status, _)| *status);
    let page = HistoryPage {
        chrome: Chrome::of(admin, "settlements", req),
        target: state.today().pred().to_string(),
        next_unsettled: next.to_string(),
        error: error.map(|(_, text)| text),
        settled,
        days: rows.iter().map(|r| day_line(r, state, admin.t())).collect(),
        older,
        may_settle: admin.may(Permission::Settle),
    };
    html(status, &page)
}

pub async fn history(state: web::Data<AppState>, admin: Admin, req: HttpRequest, query: web::Query<HistoryQuery>) -> PageResult {
    let before = query.before.as_deref().map(BusinessDay::parse).transpose().map_err(|e| admin.refused(e))?;
    let settled = query.settled.as_deref().map(|days| days.split(',').filter(|d| !d.is_empty()).map(str::to_string).collect());
    render_history(&state, &admin, &req, before, settled, None).await
}

#[derive(Deserialize)]
pub struct RunFields {
    date: String,
}

pub async fn run(state: web::Data<AppState>, req: HttpRequest, form: AdminForm<RunFields>) -> PageResult {
    let AdminForm { signed_in: admin, fields } = form;
    admin.require(Permission::Settle)?;
    let result = async {
        let target = BusinessDay::parse(fields.date.trim())?;
        Ok::<_, ApiError>(settle::settle_requested(&state.graph, state.tz, target, state.now(), state.settle, &admin.actor()).await?)
    }
    .await;
    match result {
        Ok(days) => {
            state.dashboard.changed(&state.graph).await;
            let list = days.iter().map(ToString::to_string).collect::<Vec<_>>().join(",");
            Ok(see_other(&format!("/admin/settlements?settled={}", urlencode(&list))))
        }
        Err(error) if error.status_code().is_server_error() => Err(admin.refused(error)),
        Err(error) => {
            let status = error.status_code();
            render_history(&state, &admin, &req, None, None, Some((status, admin.reason(&error)))).await
        }
    }
}

#[derive(Template)]
#[template(path = "admin/preview.html")]
struct PreviewPage {
    chrome: Chrome,
    day: String,
    error: Option<String>,
    params_version: i64,
    /// (label, fen) of each kind, summed over every member.
    totals: Vec<(&'static str, i64)>,
    members_paid: usize,
    /// The largest payouts.
    payouts: Vec<PayoutAmounts>,
    /// When the figures were computed (kept a minute: `app::previews`).
    computed_at: String,
    /// The day has not begun: the figures are as of then, and the page says so.
    as_of_now: Option<String>,
}

pub async fn preview(state: web::Data<AppState>, admin: Admin, req: HttpRequest) -> PageResult {
    admin.require(Permission::Settle)?;
    let t = admin.t();
    let day = next_unsettled(&state).await.map_err(|e| admin.refused(e))?;
    let chrome = Chrome::of(&admin, "settlements", &req);
    let summary = match state.previews.of(&state, day).await {
        Ok(summary) => summary,
        Err(error) => {
            let error = ApiError::from(error);
            if error.status_code().is_server_error() {
                return Err(admin.refused(error));
            }
            let page = PreviewPage {
                chrome,
                day: day.to_string(),
                error: Some(admin.reason(&error)),
                params_version: 0,
                totals: Vec::new(),
                members_paid: 0,
                payouts: Vec::new(),
                computed_at: String::new(),
                as_of_now: None,
            };
            return html(error.status_code(), &page);
        }
    };
    let mut totals = t.kinds().zip(summary.totals).into_array().to_vec();
    totals.push((t.total, summary.totals.credited()));
    let computed_at = local_time(summary.computed_at.timestamp_millis(), state.tz, true);
    let as_of_now = settle::previews_as_of_now(day, summary.computed_at, state.tz)
        .then(|| t.preview_as_of_now.replace("{day}", &day.to_string()).replace("{now}", &computed_at));
    let page = PreviewPage {
        chrome,
        day: day.to_string(),
        error: None,
        params_version: summary.params_version,
        totals,
        members_paid: summary.members_paid,
        payouts: summary.largest.clone(),
        computed_at,
        as_of_now,
    };
    html(StatusCode::OK, &page)
}

/// The columns a payout table sorts by; all but the phone sort the largest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortBy {
    Phone,
    Total,
    Static,
    Share,
    Team,
    Peer,
    Forfeited,
}

impl SortBy {
    const ALL: [SortBy; 7] = [SortBy::Phone, SortBy::Total, SortBy::Static, SortBy::Share, SortBy::Team, SortBy::Peer, SortBy::Forfeited];

    fn key(self) -> &'static str {
        match self {
            SortBy::Phone => "phone",
            SortBy::Total => "total",
            SortBy::Static => "static",
            SortBy::Share => "share",
            SortBy::Team => "team",
            SortBy::Peer => "peer",
            SortBy::Forfeited => "forfeited",
        }
    }

    fn label(self, t: &Text) -> &'static str {
        match self {
            SortBy::Phone => t.phone,
            SortBy::Total => t.total,
            SortBy::Static => t.kind_static,
            SortBy::Share => t.kind_share,
            SortBy::Team => t.kind_team,
            SortBy::Peer => t.kind_peer,
            SortBy::Forfeited => t.kind_forfeited,
        }
    }

    fn amount(self, p: &PayoutAmounts) -> i64 {
        match self {
            SortBy::Phone => 0,
            SortBy::Total => p.credited.fen(),
            SortBy::Static => p.amounts.r#static.fen(),
            SortBy::Share => p.amounts.share_g1.fen() + p.amounts.share_g2.fen(),
            SortBy::Team => p.amounts.team.fen(),
            SortBy::Peer => p.amounts.peer.fen(),
            SortBy::Forfeited => p.amounts.forfeited.fen(),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/settlement_day.html")]
struct DayPage {
    chrome: Chrome,
    s: DayLine,
    /// (label, fen) of each kind.
    totals: Vec<(&'static str, i64)>,
    sort: &'static str,
    /// (key, label) of every column the table sorts by.
    sorts: Vec<(&'static str, &'static str)>,
    payouts: Vec<PayoutAmounts>,
    /// The link to the next page, if there is one.
    next: Option<String>,
    /// The admin's role downloads the CSV.
    may_export: bool,
}

#[derive(Deserialize)]
pub struct DayQuery {
    sort: Option<SortBy>,
    /// Phone order: the phone after which the page starts.
    after: Option<String>,
    /// Amount orders: the page number, from 0.
    page: Option<usize>,
}

async fn settled_day(state: &AppState, admin: &Admin, text: &str) -> Result<(BusinessDay, SettlementRow), PageError> {
    let day = BusinessDay::parse(text).map_err(|e| admin.refused(e))?;
    let row = days::get(&state.graph, day).await.map_err(|e| admin.refused(e))?;
    match row {
        Some(row) if row.status == SettlementStatus::Settled => Ok((day, row)),
        _ => Err(admin.refused(ApiError::refused(ErrorCode::SettlementNotFound, format!("{day} is not settled")))),
    }
}

pub async fn day_page(
    state: web::Data<AppState>,
    admin: Admin,
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<DayQuery>,
) -> PageResult {
    let (day, row) = settled_day(&state, &admin, &path).await?;
    let t = admin.t();
    let sort = query.sort.unwrap_or(SortBy::Phone);
    let base = format!("/admin/settlements/{day}?sort={}", sort.key());
    let (rows, next) = if sort == SortBy::Phone {
        let after = query.after.clone().unwrap_or_default();
        let mut rows =
            statement_rows::payout_amounts(&state.graph, day, &after, PAYOUT_PAGE as i64 + 1).await.map_err(|e| admin.refused(e))?;
        let next = (rows.len() > PAYOUT_PAGE).then(|| {
            rows.truncate(PAYOUT_PAGE);
            format!("{base}&after={}", urlencode(&rows[PAYOUT_PAGE - 1].phone))
        });
        (rows, next)
    } else {
        let all = state.sorted_payouts.day(&state.graph, day).await.map_err(|e| admin.refused(e))?;
        let by_amount = |a: &&PayoutAmounts, b: &&PayoutAmounts| sort.amount(b).cmp(&sort.amount(a)).then_with(|| a.phone.cmp(&b.phone));
        let page = query.page.unwrap_or(0);
        let mut order: Vec<&PayoutAmounts> = all.iter().collect();
        // Only the rows up to this page's end are sorted: at a million payouts a whole sort per page costs a third of a second.
        let end = page.saturating_add(1).saturating_mul(PAYOUT_PAGE).min(order.len());
        if end < order.len() {
            order.select_nth_unstable_by(end, by_amount);
        }
        order[..end].sort_by(by_amount);
        let start = page.saturating_mul(PAYOUT_PAGE).min(end);
        let rows: Vec<PayoutAmounts> = order[start..end].iter().map(|p| (*p).clone()).collect();
        let next = (end < order.len()).then(|| format!("{base}&page={}", page + 1));
        (rows, next)
    };
    let totals = t.kinds().zip(row.totals.map(Money::fen)).into_array().to_vec();
    let page = DayPage {
        chrome: Chrome::of(&admin, "settlements", &req),
        s: day_line(&row, &state, t),
        totals,
        sort: sort.key(),
        sorts: SortBy::ALL.iter().map(|s| (s.key(), s.label(t))).collect(),
        payouts: rows,
        next,
        may_export: admin.may(Permission::ExportPayouts),
    };
    html(StatusCode::OK, &page)
}

/// A day's payouts as CSV for Excel: UTF-8 with a byte order mark (without it Excel reads the
/// Chinese header as another encoding), amounts as plain decimals.
pub async fn csv_export(state: web::Data<AppState>, admin: Admin, path: web::Path<String>) -> Result<HttpResponse, PageError> {
    admin.require(Permission::ExportPayouts)?;
    let (day, _) = settled_day(&state, &admin, &path).await?;
    let t = admin.t();
    let rows = statement_rows::day_amounts(&state.graph, day).await.map_err(|e| admin.refused(e))?;
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let failed = || admin.refused(ApiError::refused(ErrorCode::Internal, "writing the CSV failed"));
    let header = std::iter::once(t.phone).chain(t.kinds().into_array()).chain([t.total]);
    out.write_record(header).map_err(|_| failed())?;
    for p in &rows {
        let amounts = p.amounts.map(|m| m.to_string()).into_array();
        out.write_record(std::iter::once(p.phone.clone()).chain(amounts).chain([p.credited.to_string()])).map_err(|_| failed())?;
    }
    let body = out.into_inner().map_err(|_| failed())?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"payouts-{day}.csv\"")))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}
