//! Settlements: runs (with catch-up), a day's totals and payouts, a preview of the next day,
//! members' statements and where each amount came from.
use actix_web::{HttpResponse, get, post, web};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{IntoParams, PartialSchema, ToSchema};

use super::{instant, money};
use crate::app::settle::{self, Computed, SettleError};
use crate::app::statements::{self, DayParams, Explained};
use crate::domain::amounts::{Accelerated, ByKind};
use crate::domain::day::BusinessDay;
use crate::domain::error_code::ErrorCode;
use crate::domain::money::{Money, Rate};
use crate::domain::params::{Params, TeamTier};
use crate::domain::phone::Phone;
use crate::domain::scope::Scope;
use crate::domain::settlement::SettlementStatus;
use crate::graph::settlements::days::{self, SettlementRow};
use crate::graph::settlements::statements::{self as statement_rows, StatementRow};
use crate::graph::{GraphError, members};
use crate::http::AppState;
use crate::http::auth::ApiClient;
use crate::http::error::ApiError;
use crate::http::paging::{self, Page};
use crate::settlement::engine::BandPay;
use crate::settlement::sources;

impl From<SettleError> for ApiError {
    fn from(error: SettleError) -> Self {
        match (error.code(), error) {
            (Some(code), error) => ApiError::refused(code, error),
            (None, SettleError::Graph(graph)) => graph.into(),
            (None, error) => GraphError::Corrupt(error.to_string()).into(),
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

/// An object of money strings, one for each of `names`.
fn money_object(names: impl IntoIterator<Item = &'static str>) -> ObjectBuilder {
    names.into_iter().fold(ObjectBuilder::new().schema_type(Type::Object), |object, name| {
        object.property(name, ObjectBuilder::new().schema_type(Type::String)).required(name)
    })
}

/// The schema of [`ByKind`] amounts of money, as the API writes them.
pub enum Totals {}

impl PartialSchema for Totals {
    fn schema() -> RefOr<Schema> {
        let forfeited =
            ObjectBuilder::new().schema_type(Type::String).description(Some("Entitlements the recipients' pools could not pay."));
        money_object(ByKind::NAMES.into_array()).property(ByKind::NAMES.forfeited, forfeited).into()
    }
}

impl ToSchema for Totals {}

/// The schema of [`Accelerated`] amounts of money entitled, as the API writes them.
pub enum Entitled {}

impl PartialSchema for Entitled {
    fn schema() -> RefOr<Schema> {
        let description = "A statement's accelerated release as entitled, before the pool's limit.";
        money_object(Accelerated::NAMES.into_array()).description(Some(description)).into()
    }
}

impl ToSchema for Entitled {}

#[derive(Serialize, ToSchema)]
pub struct SettlementView {
    #[schema(value_type = String)]
    date: BusinessDay,
    /// `settled`, or `running` while a run writes it (or after a run stopped, until resumed).
    #[schema(value_type = String)]
    status: SettlementStatus,
    params_version: i64,
    #[schema(value_type = Totals)]
    totals: ByKind<Money>,
    /// Members credited anything.
    members_paid: i64,
    /// Members with a statement (a credit or a forfeit).
    statements: i64,
    started_at: String,
    settled_at: Option<String>,
}

pub(crate) fn settlement_view(row: SettlementRow) -> Result<SettlementView, ApiError> {
    Ok(SettlementView {
        totals: row.totals,
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
    let day = BusinessDay::parse_relative(&body.date, state.today())?;
    let settled = settle::settle_requested(&state.graph, state.tz, day, state.now(), state.settle, &client.actor()).await?;
    // The days settled are the latest ones: one read, oldest first.
    let mut rows = days::history(&state.graph, None, settled.len() as i64).await?;
    rows.reverse();
    let days = rows.into_iter().map(settlement_view).collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(SettledDays { days }))
}

fn settlement_not_found(day: BusinessDay) -> ApiError {
    ApiError::refused(ErrorCode::SettlementNotFound, format!("{day} has not been settled"))
}

/// A day's settlement: status, the parameter version used, totals.
///
/// Needs the scope `payouts:read`, or `settlements:write` (the client that runs settlements reads
/// how its run went: the day's status and totals, no member's payout), or `admin`.
#[utoipa::path(
    tag = "settlements", params(("date" = String, Path, example = "2026-01-10")),
    responses((status = 200, body = SettlementView),
              (status = 403, description = "forbidden: the API key has neither payouts:read nor settlements:write"),
              (status = 404, description = "settlement_not_found")),
    security(("bearer" = ["payouts:read"]), ("bearer" = ["settlements:write"]))
)]
#[get("/settlements/{date}")]
pub async fn get(state: web::Data<AppState>, client: ApiClient, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    client.require_any(&[Scope::PayoutsRead, Scope::SettlementsWrite])?;
    let day = BusinessDay::parse_relative(&path, state.today())?;
    let row = days::get(&state.graph, day).await?.ok_or_else(|| settlement_not_found(day))?;
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
    #[schema(value_type = Totals)]
    pub amounts: ByKind<Money>,
    /// Everything credited: static plus the paid accelerated release.
    #[schema(value_type = String)]
    pub total: Money,
}

#[derive(Serialize, Deserialize)]
struct PhonePosition(String);

fn payout_of(row: &StatementRow) -> Payout {
    Payout { phone: row.phone.clone(), amounts: row.amounts, total: row.credited }
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
    let day = BusinessDay::parse_relative(&path, state.today())?;
    let limit = paging::limit(query.limit)?;
    let after = query.cursor.as_deref().map(paging::decode::<PhonePosition>).transpose()?;
    let settlement = days::get(&state.graph, day).await?;
    if settlement.is_none_or(|s| s.status != SettlementStatus::Settled) {
        return Err(settlement_not_found(day));
    }
    let mut rows = statement_rows::payouts(&state.graph, day, after.as_ref().map(|p| p.0.as_str()), limit + 1).await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| paging::encode(&PhonePosition(r.phone.clone())))
    } else {
        None
    };
    let items: Vec<Payout> = rows.iter().map(payout_of).collect();
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// The payouts the next unsettled day would give, computed now; nothing is written. Once today is
/// settled the next unsettled day is tomorrow: its preview is as of now, from the orders and
/// refunds so far, and the rest of today changes it (any later day is `day_not_begun`).
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
    let day = BusinessDay::parse_relative(&path, state.today())?;
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
        items.push(Payout {
            phone: computed.snapshot.phones[i].clone(),
            amounts: day.amounts().try_map(money)?,
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
    limit: Option<i64>,
    cursor: Option<String>,
}

/// A statements list's position: the last day a page showed (the next page ends the day before).
#[derive(Serialize, Deserialize)]
struct StatementPosition(String);

/// The last day of a page of statements: `to`, or the day before the one the previous page ended on.
pub(crate) fn page_ends(to: BusinessDay, cursor: Option<&str>) -> Result<BusinessDay, ApiError> {
    let Some(StatementPosition(last)) = cursor.map(paging::decode::<StatementPosition>).transpose()? else { return Ok(to) };
    let last =
        BusinessDay::parse(&last).map_err(|_| ApiError::refused(ErrorCode::InvalidCursor, "the cursor was not made by this server"))?;
    Ok(to.min(last.pred()))
}

/// Cuts statements (the latest first) to a page; the next page's cursor when there is one.
pub(crate) fn cut_statements<T>(items: &mut Vec<T>, limit: i64, day_of: impl Fn(&T) -> BusinessDay) -> Option<String> {
    paging::cut(items, limit, |item| StatementPosition(day_of(item).to_string()))
}

/// A member's statement of a day: the day's payout with the tier and balances.
#[derive(Serialize, ToSchema)]
pub struct StatementView {
    #[schema(value_type = String)]
    pub date: BusinessDay,
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

fn statement_view(row: &StatementRow, tier: Option<String>) -> StatementView {
    StatementView {
        date: row.day,
        payout: payout_of(row),
        tier,
        team_volume: row.team_volume,
        pool_after: row.pool_after,
        available_after: row.available_after,
    }
}

/// The name of the tier of `rank` (0: none).
fn tier_of(params: &Params, rank: u8) -> Option<&TeamTier> {
    params.team_tiers().get(usize::from(rank).checked_sub(1)?)
}

fn tier_name(params: &Params, rank: u8) -> Option<String> {
    tier_of(params, rank).map(|t| t.name.clone())
}

/// The team rate of the tier of this rank, "0" below the first tier.
fn tier_rate(params: &Params, rank: u8) -> String {
    tier_of(params, rank).map_or(Rate::ZERO, |t| t.rate).to_string()
}

/// A member's daily statements from `from` through `to`, the latest first, paged.
///
/// Needs the scope `members:read` (or `admin`): a member's income is personal.
#[utoipa::path(
    tag = "statements", params(("phone" = String, Path), StatementsQuery),
    responses((status = 200, body = Page<StatementView>), (status = 403, description = "forbidden: the API key lacks members:read"),
              (status = 404, description = "member_not_found"), (status = 422, description = "invalid_range")),
    security(("bearer" = ["members:read"]))
)]
#[get("/members/{phone}/statements")]
pub async fn statements_of(
    state: web::Data<AppState>,
    client: ApiClient,
    path: web::Path<String>,
    query: web::Query<StatementsQuery>,
) -> Result<HttpResponse, ApiError> {
    client.require(Scope::MembersRead)?;
    let phone = Phone::parse(&path)?;
    let to = query.to.as_deref().map(|day| BusinessDay::parse_relative(day, state.today())).transpose()?.unwrap_or_else(|| state.today());
    let from = match query.from.as_deref() {
        Some(from) => BusinessDay::parse_relative(from, state.today())?,
        None => BusinessDay::from_date(to.date() - chrono::Days::new(30)),
    };
    let span = (to.date() - from.date()).num_days();
    if !(0..MAX_STATEMENT_DAYS).contains(&span) {
        return Err(ApiError::refused(
            ErrorCode::InvalidRange,
            format!("from must be on or before to, at most {MAX_STATEMENT_DAYS} days apart"),
        ));
    }
    if !members::exists(&state.graph, &phone).await? {
        return Err(crate::app::AppError::member_not_found().into());
    }
    let limit = paging::limit(query.limit)?;
    let ends = page_ends(to, query.cursor.as_deref())?;
    let mut rows = if ends < from { Vec::new() } else { statement_rows::of_member(&state.graph, phone.as_str(), from, ends).await? };
    rows.sort_by_key(|row| std::cmp::Reverse(row.day));
    let next_cursor = cut_statements(&mut rows, limit, |row| row.day);
    let params = DayParams::load(&state.graph).await?;
    let items: Vec<StatementView> = rows.iter().map(|row| statement_view(row, tier_name(params.on(row.day), row.tier_rank))).collect();
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
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
    /// The rate applied, as a decimal fraction: for `team`, the member's `team_rate` minus this
    /// band's `tier_rate`; for `peer`, the peer rate.
    pub rate: String,
    /// The team rate of the tier on the way ("0" without one), as a decimal fraction.
    pub tier_rate: String,
    /// Exact amount before rounding (yuan, up to 8 decimals).
    pub amount: String,
}

#[derive(Serialize, ToSchema)]
pub struct StatementWithSources {
    #[serde(flatten)]
    pub statement: StatementView,
    pub params_version: i64,
    /// The team rate of the member's tier that day ("0" without one), as a decimal fraction.
    pub team_rate: String,
    /// The day's entitlements, each kind summed exactly over the branches and rounded down once;
    /// what the pool could not pay of them is `forfeited`.
    #[schema(value_type = Entitled)]
    pub entitled: Accelerated<Money>,
    pub sources: Vec<BranchSource>,
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

/// A member's statement of one day with its sources per direct-referral branch, recomputed from
/// what the settlement stored by the rules of that day.
///
/// Needs the scope `members:read` (or `admin`).
#[utoipa::path(
    tag = "statements", params(("phone" = String, Path), ("date" = String, Path)),
    responses((status = 200, body = StatementWithSources), (status = 403, description = "forbidden: the API key lacks members:read"),
              (status = 404, description = "statement_not_found")),
    security(("bearer" = ["members:read"]))
)]
#[get("/members/{phone}/statements/{date}")]
pub async fn statement(state: web::Data<AppState>, client: ApiClient, path: web::Path<(String, String)>) -> Result<HttpResponse, ApiError> {
    client.require(Scope::MembersRead)?;
    let phone = Phone::parse(&path.0)?;
    let day = BusinessDay::parse_relative(&path.1, state.today())?;
    let explained = statements::explained(&state.graph, &phone, day)
        .await?
        .ok_or_else(|| ApiError::refused(ErrorCode::StatementNotFound, format!("{phone} has no statement on {day}")))?;
    Ok(HttpResponse::Ok().json(with_sources(explained)?))
}

/// A statement with its sources as the API writes it.
pub(crate) fn with_sources(explained: Explained) -> Result<StatementWithSources, ApiError> {
    let Explained { statement: row, params_version, params, sources } = explained;
    let branches = sources.branches.iter().map(|branch| branch_source(branch, &params)).collect::<Result<_, _>>()?;
    Ok(StatementWithSources {
        statement: statement_view(&row, tier_name(&params, row.tier_rank)),
        params_version,
        team_rate: tier_rate(&params, row.tier_rank),
        entitled: sources.entitled.try_map(money)?,
        sources: branches,
    })
}

fn branch_source(branch: &sources::BranchSource<String>, params: &Params) -> Result<BranchSource, ApiError> {
    let bands = branch
        .bands
        .iter()
        .map(|source| {
            let (kind, rate) = match source.pay {
                Some(BandPay::Team(rate)) => ("team", rate),
                Some(BandPay::Peer(rate)) => ("peer", rate),
                None => ("none", 0),
            };
            Ok(BandSource {
                tier_on_the_way: tier_name(params, source.band.rank),
                release: money(source.band.fen)?,
                kind: kind.into(),
                rate: rate_text(rate),
                tier_rate: tier_rate(params, source.band.rank),
                amount: exact_yuan(source.exact),
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(BranchSource {
        phone: branch.member.clone(),
        referral_release: money(branch.static_fen)?,
        second_generation_release: money(branch.children_static_fen)?,
        branch_release: money(branch.release_fen)?,
        share_g1: exact_yuan(branch.exact.share_g1),
        share_g2: exact_yuan(branch.exact.share_g2),
        bands,
    })
}
