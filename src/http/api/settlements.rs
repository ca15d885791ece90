//! Settlements: runs (with catch-up), a day's totals and payouts, a preview of the next day,
//! members' statements and where each amount came from.
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{instant, money};
use crate::app::settle::{self, Computed, SettleError};
use crate::domain::day::BusinessDay;
use crate::domain::money::Money;
use crate::domain::phone::Phone;
use crate::domain::scope::Scope;
use crate::graph::settlements::{self, SettlementRow, StatementRow};
use crate::graph::{GraphError, members};
use crate::http::AppState;
use crate::http::auth::ApiClient;
use crate::http::error::ApiError;
use crate::http::paging::{self, Page};
use crate::settlement::engine::{Band, Branch, contribution};
use crate::settlement::rules::{MICROS, Rules};

impl From<SettleError> for ApiError {
    fn from(error: SettleError) -> Self {
        let code = error.code();
        match error {
            SettleError::Running { .. } | SettleError::PreviewSettled { .. } => ApiError::new(StatusCode::CONFLICT, code, error.to_string()),
            SettleError::NotBegun { .. } | SettleError::PreviewNotNext { .. } => ApiError::unprocessable(code, error),
            SettleError::Graph(graph) => graph.into(),
            SettleError::Stopped { .. } => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, code, error.to_string()),
            SettleError::Snapshot(_) => GraphError::Corrupt(error.to_string()).into(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettleBody {
    /// Settles every unsettled day through this one, oldest first.
    #[schema(example = "2026-01-10")]
    date: String,
}

#[derive(Serialize, ToSchema)]
pub struct Totals {
    #[schema(value_type = String)]
    pub r#static: Money,
    #[schema(value_type = String)]
    pub share_g1: Money,
    #[schema(value_type = String)]
    pub share_g2: Money,
    #[schema(value_type = String)]
    pub team: Money,
    #[schema(value_type = String)]
    pub peer: Money,
    /// Entitlements the recipients' pools could not pay.
    #[schema(value_type = String)]
    pub forfeited: Money,
}

impl Totals {
    /// From fen in the order static, share g1, share g2, team, peer, forfeited.
    fn of([static_fen, share_g1, share_g2, team, peer, forfeited]: [i64; 6]) -> Result<Totals, ApiError> {
        Ok(Totals {
            r#static: money(static_fen)?,
            share_g1: money(share_g1)?,
            share_g2: money(share_g2)?,
            team: money(team)?,
            peer: money(peer)?,
            forfeited: money(forfeited)?,
        })
    }
}

#[derive(Serialize, ToSchema)]
pub struct SettlementView {
    date: String,
    /// `settled`, or `running` while a run writes it (or after a run stopped, until resumed).
    status: String,
    params_version: i64,
    totals: Totals,
    /// Members credited anything.
    members_paid: i64,
    /// Members with a statement (a credit or a forfeit).
    statements: i64,
    started_at: String,
    settled_at: Option<String>,
}

pub(crate) fn settlement_view(row: SettlementRow) -> Result<SettlementView, ApiError> {
    Ok(SettlementView {
        totals: Totals::of([row.static_fen, row.share_g1_fen, row.share_g2_fen, row.team_fen, row.peer_fen, row.forfeited_fen])?,
        started_at: instant(row.started_at_ms)?,
        settled_at: row.settled_at_ms.map(instant).transpose()?,
        date: row.day,
        status: row.status,
        params_version: row.params_version,
        members_paid: row.members_paid,
        statements: row.statements,
    })
}

#[derive(Serialize, ToSchema)]
pub struct SettledDays {
    /// The days this request settled, oldest first (empty when all were settled already).
    days: Vec<SettlementView>,
}

/// Settle every unsettled day through `date` (catch-up); one run at a time.
#[utoipa::path(
    tag = "settlements", request_body = SettleBody,
    responses((status = 200, body = SettledDays), (status = 409, description = "settlement_running"),
              (status = 422, description = "day_not_begun")),
    security(("bearer" = ["settlements:write"]))
)]
#[post("/settlements")]
pub async fn run(state: web::Data<AppState>, client: ApiClient, body: web::Json<SettleBody>) -> Result<HttpResponse, ApiError> {
    client.require(Scope::SettlementsWrite)?;
    let day = BusinessDay::parse(&body.date)?;
    let settled = settle::settle_requested(&state.graph, state.tz, day, state.now(), state.settle, &client.actor()).await?;
    // The days settled are the latest ones: one read, oldest first.
    let mut rows = settlements::history(&state.graph, None, settled.len() as i64).await?;
    rows.reverse();
    let days = rows.into_iter().map(settlement_view).collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(SettledDays { days }))
}

fn settlement_not_found(day: BusinessDay) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "settlement_not_found", format!("{day} has not been settled"))
}

/// A day's settlement: status, the parameter version used, totals.
#[utoipa::path(
    tag = "settlements", params(("date" = String, Path, example = "2026-01-10")),
    responses((status = 200, body = SettlementView), (status = 404, description = "settlement_not_found")),
    security(("bearer" = []))
)]
#[get("/settlements/{date}")]
pub async fn get(state: web::Data<AppState>, _client: ApiClient, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let day = BusinessDay::parse(&path)?;
    let row = settlements::get(&state.graph, day).await?.ok_or_else(|| settlement_not_found(day))?;
    Ok(HttpResponse::Ok().json(settlement_view(row)?))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    limit: Option<i64>,
    cursor: Option<String>,
}

/// One member's credits of a day.
#[derive(Serialize, ToSchema)]
pub struct Payout {
    pub phone: String,
    #[serde(flatten)]
    pub amounts: Totals,
    /// Everything credited: static plus the paid accelerated release.
    #[schema(value_type = String)]
    pub total: Money,
}

#[derive(Serialize, Deserialize)]
struct PhonePosition(String);

fn payout_of(row: &StatementRow) -> Result<Payout, ApiError> {
    let total = row.static_fen + row.share_g1_fen + row.share_g2_fen + row.team_fen + row.peer_fen;
    Ok(Payout {
        phone: row.phone.clone(),
        amounts: Totals::of([row.static_fen, row.share_g1_fen, row.share_g2_fen, row.team_fen, row.peer_fen, row.forfeited_fen])?,
        total: money(total)?,
    })
}

/// Every member with a movement on a settled day, in phone order, paged.
#[utoipa::path(
    tag = "settlements", params(("date" = String, Path), PageQuery),
    responses((status = 200, body = Page<Payout>), (status = 404, description = "settlement_not_found")),
    security(("bearer" = ["payouts:read"]))
)]
#[get("/settlements/{date}/payouts")]
pub async fn payouts(
    state: web::Data<AppState>,
    client: ApiClient,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    client.require(Scope::PayoutsRead)?;
    let day = BusinessDay::parse(&path)?;
    let limit = paging::limit(query.limit)?;
    let after = query.cursor.as_deref().map(paging::decode::<PhonePosition>).transpose()?;
    let settlement = settlements::get(&state.graph, day).await?;
    if settlement.is_none_or(|s| s.status != "settled") {
        return Err(settlement_not_found(day));
    }
    let mut rows = settlements::payouts(&state.graph, day, after.as_ref().map(|p| p.0.as_str()), limit + 1).await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| paging::encode(&PhonePosition(r.phone.clone())))
    } else {
        None
    };
    let items = rows.iter().map(payout_of).collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// The payouts the next unsettled day would give, computed now; nothing is written.
#[utoipa::path(
    tag = "settlements", params(("date" = String, Path), PageQuery),
    responses((status = 200, body = Page<Payout>), (status = 409, description = "day_already_settled, settlement_running"),
              (status = 422, description = "day_not_begun, day_not_next")),
    security(("bearer" = ["payouts:read"]))
)]
#[post("/settlements/{date}/preview")]
pub async fn preview(
    state: web::Data<AppState>,
    client: ApiClient,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    client.require(Scope::PayoutsRead)?;
    let day = BusinessDay::parse(&path)?;
    let limit = paging::limit(query.limit)?;
    let after = query.cursor.as_deref().map(paging::decode::<PhonePosition>).transpose()?;
    let computed = settle::preview(&state.graph, state.tz, day, state.now()).await?;
    let mut items = Vec::new();
    let mut next_cursor = None;
    for i in preview_rows(&computed, after.as_ref().map(|p| p.0.as_str())) {
        if items.len() as i64 == limit {
            next_cursor = items.last().map(|p: &Payout| paging::encode(&PhonePosition(p.phone.clone())));
            break;
        }
        let day = &computed.result.members[i];
        let paid = day.paid;
        items.push(Payout {
            phone: computed.snapshot.phones[i].clone(),
            amounts: Totals::of([day.static_fen, paid.share_g1, paid.share_g2, paid.team, paid.peer, day.amounts().forfeited])?,
            total: money(day.released_fen())?,
        });
    }
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// The members with a movement in phone order (the snapshot's order), after `after`.
fn preview_rows<'a>(computed: &'a Computed, after: Option<&'a str>) -> impl Iterator<Item = usize> + 'a {
    computed.with_movement().filter(move |&i| after.is_none_or(|a| computed.snapshot.phones[i].as_str() > a))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct StatementsQuery {
    /// First day (default: 30 days before `to`).
    from: Option<String>,
    /// Last day (default: today).
    to: Option<String>,
}

/// A member's statement of a day: the day's payout with the tier and balances.
#[derive(Serialize, ToSchema)]
pub struct StatementView {
    pub date: String,
    #[serde(flatten)]
    pub payout: Payout,
    /// The member's tier on the day, or null.
    pub tier: Option<String>,
    #[schema(value_type = String)]
    pub team_volume: Money,
    /// Points left in the member's orders after the day's settlement.
    #[schema(value_type = String)]
    pub pool_after: Money,
    #[schema(value_type = String)]
    pub available_after: Money,
}

/// The longest range one statements request covers.
const MAX_STATEMENT_DAYS: i64 = 366;

fn statement_view(row: &StatementRow, tier: Option<String>) -> Result<StatementView, ApiError> {
    Ok(StatementView {
        date: row.day.clone(),
        payout: payout_of(row)?,
        tier,
        team_volume: money(row.team_volume_fen)?,
        pool_after: money(row.pool_after_fen)?,
        available_after: money(row.available_after_fen)?,
    })
}

/// The parameter versions of settled days, to name tiers and recompute sources by the rules of
/// each day.
struct DayParams {
    history: crate::graph::params::ParamsHistory,
}

impl DayParams {
    async fn load(state: &AppState) -> Result<DayParams, ApiError> {
        Ok(DayParams { history: crate::graph::params::history(&state.graph).await? })
    }

    fn version(&self, version: i64) -> Result<&crate::domain::params::Params, ApiError> {
        self.history
            .versions()
            .iter()
            .find(|v| v.version == version)
            .map(|v| &v.params)
            .ok_or_else(|| GraphError::Corrupt(format!("parameter version {version} is gone")).into())
    }

    fn on(&self, day: &str) -> Result<&crate::domain::params::Params, ApiError> {
        let day: BusinessDay = day.parse().map_err(|_| GraphError::Corrupt(format!("statement day {day:?}")))?;
        Ok(&self.history.in_force(day).params)
    }
}

fn tier_name(params: &crate::domain::params::Params, rank: i64) -> Option<String> {
    let index = usize::try_from(rank).ok()?.checked_sub(1)?;
    params.team_tiers().get(index).map(|t| t.name.clone())
}

/// A member's daily statements, the latest first.
#[utoipa::path(
    tag = "statements", params(("phone" = String, Path), StatementsQuery),
    responses((status = 200, body = Vec<StatementView>), (status = 404, description = "member_not_found"),
              (status = 422, description = "invalid_range")),
    security(("bearer" = []))
)]
#[get("/members/{phone}/statements")]
pub async fn statements_of(
    state: web::Data<AppState>,
    _client: ApiClient,
    path: web::Path<String>,
    query: web::Query<StatementsQuery>,
) -> Result<HttpResponse, ApiError> {
    let phone = Phone::parse(&path)?;
    let to = query.to.as_deref().map(BusinessDay::parse).transpose()?.unwrap_or_else(|| state.today());
    let from = match query.from.as_deref() {
        Some(from) => BusinessDay::parse(from)?,
        None => BusinessDay::from_date(to.date() - chrono::Days::new(30)),
    };
    let span = (to.date() - from.date()).num_days();
    if !(0..MAX_STATEMENT_DAYS).contains(&span) {
        return Err(ApiError::unprocessable(
            "invalid_range",
            format!("from must be on or before to, at most {MAX_STATEMENT_DAYS} days apart"),
        ));
    }
    members::require_exists(&state.graph, &phone).await?;
    let rows = settlements::statements_of(&state.graph, phone.as_str(), from, to).await?;
    let params = DayParams::load(&state).await?;
    let items = rows
        .iter()
        .map(|row| statement_view(row, tier_name(params.on(&row.day)?, row.tier_rank)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(items))
}

/// Where the accelerated release of a statement came from: one direct referral's branch.
#[derive(Serialize, ToSchema)]
pub struct BranchSource {
    /// The direct referral heading the branch.
    pub phone: String,
    /// The referral's own static release (share generation 1 is taken from it).
    #[schema(value_type = String)]
    pub referral_release: Money,
    /// The static releases of the referral's own direct referrals (share generation 2).
    #[schema(value_type = String)]
    pub second_generation_release: Money,
    /// Every static release in the branch, the referral's own included.
    #[schema(value_type = String)]
    pub branch_release: Money,
    /// Exact amounts before rounding (yuan, up to 8 decimals).
    pub share_g1: String,
    pub share_g2: String,
    /// The branch's releases by the highest tier met on the way up, with the rate applied.
    pub bands: Vec<BandSource>,
}

#[derive(Serialize, ToSchema)]
pub struct BandSource {
    /// The highest tier between the release and the member (null: none).
    pub tier_on_the_way: Option<String>,
    #[schema(value_type = String)]
    pub release: Money,
    /// `team` (the member's rate minus the tier's rate), `peer`, or `none`.
    pub kind: String,
    /// The rate applied, as a decimal fraction.
    pub rate: String,
    /// Exact amount before rounding (yuan, up to 8 decimals).
    pub amount: String,
}

#[derive(Serialize, ToSchema)]
pub struct StatementWithSources {
    #[serde(flatten)]
    pub statement: StatementView,
    pub params_version: i64,
    /// The day's entitlements, each kind summed exactly over the branches and rounded down once;
    /// what the pool could not pay of them is `forfeited`.
    pub entitled: Entitled,
    pub sources: Vec<BranchSource>,
}

/// A statement's accelerated release as entitled, before the pool's limit.
#[derive(Serialize, ToSchema)]
pub struct Entitled {
    #[schema(value_type = String)]
    pub share_g1: Money,
    #[schema(value_type = String)]
    pub share_g2: Money,
    #[schema(value_type = String)]
    pub team: Money,
    #[schema(value_type = String)]
    pub peer: Money,
}

/// Millionths of a fen as yuan with as many decimals as needed (at least two).
fn exact_yuan(micros: i128) -> String {
    let mut value = Decimal::from_i128_with_scale(micros, 8).normalize();
    if value.scale() < 2 {
        value.rescale(2);
    }
    value.to_string()
}

fn rate_text(micros: i64) -> String {
    Decimal::new(micros, 6).normalize().to_string()
}

#[derive(Deserialize)]
struct StoredBranch {
    phone: String,
    static_fen: i64,
    children_static_fen: i64,
    bands: Vec<Band>,
}

/// A member's statement of one day with its sources per direct-referral branch, recomputed from
/// what the settlement stored by the rules of that day.
#[utoipa::path(
    tag = "statements", params(("phone" = String, Path), ("date" = String, Path)),
    responses((status = 200, body = StatementWithSources), (status = 404, description = "statement_not_found")),
    security(("bearer" = []))
)]
#[get("/members/{phone}/statements/{date}")]
pub async fn statement(
    state: web::Data<AppState>,
    _client: ApiClient,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let phone = Phone::parse(&path.0)?;
    let day = BusinessDay::parse(&path.1)?;
    let row = settlements::statement(&state.graph, phone.as_str(), day).await?.ok_or_else(|| {
        ApiError::new(StatusCode::NOT_FOUND, "statement_not_found", format!("{phone} has no statement on {day}"))
    })?;
    let settlement = settlements::get(&state.graph, day).await?.ok_or_else(|| settlement_not_found(day))?;
    Ok(HttpResponse::Ok().json(with_sources(&state, row, settlement.params_version).await?))
}

pub(crate) async fn with_sources(state: &AppState, row: StatementRow, params_version: i64) -> Result<StatementWithSources, ApiError> {
    let params = DayParams::load(state).await?;
    let day_params = params.version(params_version)?;
    let rules = Rules::of(day_params);
    let rank = u8::try_from(row.tier_rank).map_err(|_| GraphError::Corrupt(format!("tier rank {}", row.tier_rank)))?;
    let stored: Vec<StoredBranch> =
        serde_json::from_str(&row.branches).map_err(|e| GraphError::Corrupt(format!("statement branches: {e}")))?;
    let mut sources = Vec::with_capacity(stored.len());
    let mut totals = [0i128; 4];
    for branch in stored {
        let whole = Branch {
            member: 0,
            static_fen: branch.static_fen,
            children_static_fen: branch.children_static_fen,
            bands: branch.bands.clone(),
        };
        let exact = contribution(&rules, rank, &whole);
        totals[0] += exact.share_g1;
        totals[1] += exact.share_g2;
        totals[2] += exact.team;
        totals[3] += exact.peer;
        let bands = branch
            .bands
            .iter()
            .map(|band| {
                let alone = Branch { member: 0, static_fen: 0, children_static_fen: 0, bands: vec![*band] };
                let exact = contribution(&rules, rank, &alone);
                let (kind, rate) = if exact.team > 0 {
                    ("team", rules.rank_micros(rank) - rules.rank_micros(band.rank))
                } else if exact.peer > 0 {
                    ("peer", rules.peer_micros())
                } else {
                    ("none", 0)
                };
                Ok(BandSource {
                    tier_on_the_way: tier_name(day_params, i64::from(band.rank)),
                    release: money(band.fen)?,
                    kind: kind.into(),
                    rate: rate_text(rate),
                    amount: exact_yuan(exact.team + exact.peer),
                })
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        sources.push(BranchSource {
            referral_release: money(branch.static_fen)?,
            second_generation_release: money(branch.children_static_fen)?,
            branch_release: money(branch.bands.iter().map(|b| b.fen).sum())?,
            share_g1: exact_yuan(exact.share_g1),
            share_g2: exact_yuan(exact.share_g2),
            phone: branch.phone,
            bands,
        });
    }
    let floor = |micros: i128| money(i64::try_from(micros / MICROS).unwrap_or(i64::MAX));
    let entitled = Entitled { share_g1: floor(totals[0])?, share_g2: floor(totals[1])?, team: floor(totals[2])?, peer: floor(totals[3])? };
    let view = statement_view(&row, tier_name(day_params, row.tier_rank))?;
    Ok(StatementWithSources { statement: view, params_version, entitled, sources })
}
