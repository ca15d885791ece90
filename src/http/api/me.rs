//! The logged-in member's own views, `/api/v1/me…`, for a future app. A member authenticates with
//! the portal's session cookie (`POST /api/v1/auth/login` opens one); it is `SameSite=Strict`, and
//! the state-changing calls take JSON bodies, which other sites cannot send without CORS.
//!
//! Another member appears here only as part of the member's own downline or sources, and then only
//! with a masked phone (138****0001): no balances, no full numbers, and no cursor that carries one.
use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::members::MemberFigures;
use super::settlements::{StatementWithSources, Totals, with_sources};
use super::withdrawals::{MyWithdrawal, WithdrawalPosition, my_withdrawal};
use super::{ParamsInForce, money};
use crate::app::statements;
use crate::domain::amounts::ByKind;
use crate::domain::day::BusinessDay;
use crate::domain::error_code::ErrorCode;
use crate::domain::money::Money;
use crate::domain::params::TierProgress;
use crate::domain::phone::Phone;
use crate::domain::settlement::SettlementStatus;
use crate::graph::settlements::days::{self, SettlementRow};
use crate::graph::settlements::statements::{self as statement_rows, StatementRow};
use crate::graph::{members, withdrawals};
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::paging::{self, Page};
use crate::http::session::{self, Kind};

/// The member a request's session cookie belongs to; 401 without a live member session.
pub struct Me {
    pub phone: Phone,
}

fn unauthenticated() -> ApiError {
    ApiError::refused(ErrorCode::Unauthorized, "log in first: POST /api/v1/auth/login")
}

impl FromRequest for Me {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req.app_data::<web::Data<AppState>>().cloned().expect("the app state is registered");
            let session = session::current(&state.graph, &req, Kind::Member, state.now()).await?.ok_or_else(unauthenticated)?;
            let phone = Phone::parse(&session.subject).map_err(|_| unauthenticated())?;
            Ok(Me { phone })
        })
    }
}

/// Another member's phone as a member sees it: 138****0001.
pub(crate) fn masked(phone: &str) -> String {
    Phone::parse(phone).map_or_else(|_| "***".to_string(), |p| p.masked())
}

/// What a member released and was paid on one settled day.
#[derive(Serialize, ToSchema)]
pub struct DayIncome {
    #[schema(value_type = String)]
    pub date: BusinessDay,
    #[serde(flatten)]
    #[schema(value_type = Totals)]
    pub amounts: ByKind<Money>,
    /// Everything credited: static plus the paid accelerated release.
    #[schema(value_type = String)]
    pub total: Money,
}

impl DayIncome {
    /// The income of `date` from the member's statement (none: nothing moved that day).
    fn of(date: BusinessDay, row: Option<&StatementRow>) -> DayIncome {
        match row {
            Some(row) => DayIncome { date, amounts: row.amounts, total: row.credited },
            None => DayIncome { date, amounts: ByKind::default(), total: Money::ZERO },
        }
    }
}

/// The next team tier and how far the member is from it.
#[derive(Serialize, ToSchema)]
pub struct NextTier {
    pub name: String,
    #[schema(value_type = String)]
    pub min_volume: Money,
    /// Team volume still needed.
    #[schema(value_type = String)]
    pub needed: Money,
    /// How much of the threshold the team volume reaches, 0 to 99.
    pub percent: i64,
}

impl From<TierProgress<'_>> for NextTier {
    fn from(progress: TierProgress<'_>) -> NextTier {
        NextTier {
            name: progress.tier.name.clone(),
            min_volume: progress.tier.min_volume,
            needed: progress.needed,
            percent: progress.percent,
        }
    }
}

/// The logged-in member's own figures.
#[derive(Serialize, ToSchema)]
pub struct MeView {
    #[serde(flatten)]
    pub figures: MemberFigures,
    /// The sponsor, masked (null for the root).
    pub sponsor_phone: Option<String>,
    /// Null at the highest tier.
    pub next_tier: Option<NextTier>,
    /// The income of the latest settled day (zero when nothing moved for the member), or null before the first settlement.
    pub latest: Option<DayIncome>,
    /// The member's invitation code (8 characters of Crockford base32).
    #[schema(example = "7K3M9Q2X")]
    pub invitation_code: String,
    /// The member portal's registration link that names this member as the sponsor, by its invitation code.
    #[schema(example = "/register?code=7K3M9Q2X")]
    pub invitation_path: String,
}

/// The registration link of an invitation code, on the member portal.
pub(crate) fn invitation_path(code: &str) -> String {
    format!("/register?code={code}")
}

/// The latest days settled (a day still being written is left out), the latest first, at most `limit`.
pub(crate) async fn settled_days(state: &AppState, limit: i64) -> Result<Vec<SettlementRow>, ApiError> {
    // One run at a time: at most one day of the history is not settled.
    let mut days = days::history(&state.graph, None, limit + 1).await?;
    days.retain(|d| d.status == SettlementStatus::Settled);
    days.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(days)
}

/// The member's figures, tier progress and latest income: one read of the member's node, one of the
/// latest settlement, one of the member's statement of that day.
pub(crate) async fn me_view(state: &AppState, phone: &Phone) -> Result<MeView, ApiError> {
    let params = ParamsInForce::today(state).await?;
    let mut row =
        members::summary(&state.graph, phone, &params.tier_thresholds_fen()).await?.ok_or_else(crate::app::AppError::member_not_found)?;
    let invitation_code = crate::app::members::invitation_code(state, phone, row.invitation_code.take()).await?;
    let latest = match settled_days(state, 1).await?.first() {
        Some(day) => {
            let statement = statement_rows::get(&state.graph, phone.as_str(), day.day).await?;
            Some(DayIncome::of(day.day, statement.as_ref()))
        }
        None => None,
    };
    let figures = MemberFigures::of(&row, &params, state.tz)?;
    Ok(MeView {
        next_tier: params.next_tier(figures.team_volume).map(NextTier::from),
        latest,
        invitation_path: invitation_path(&invitation_code),
        invitation_code,
        sponsor_phone: row.sponsor_phone.as_deref().map(masked),
        figures,
    })
}

/// The logged-in member: balances, level, tier and progress, team volume split cash / points, team
/// size, and the income of the latest settled day by kind.
#[utoipa::path(
    tag = "me",
    responses((status = 200, body = MeView), (status = 401, description = "unauthorized: no member session")),
    security(("member_session" = []))
)]
#[get("/me")]
pub async fn summary(state: web::Data<AppState>, me: Me) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(me_view(&state, &me.phone).await?))
}

/// A member of the logged-in member's team, as the member sees it: no balances.
#[derive(Serialize, ToSchema)]
pub struct TeamMember {
    /// Masked: 138****0001.
    pub phone: String,
    /// Generations below the member (1: a direct referral).
    pub depth: i64,
    pub tier: Option<String>,
    #[schema(value_type = String)]
    pub team_volume: Money,
    #[schema(value_type = String)]
    pub team_volume_cash: Money,
    #[schema(value_type = String)]
    pub team_volume_points: Money,
    pub team_size: i64,
    pub direct_count: i64,
}

/// The last position a team page can start at: a billion members.
const MAX_TEAM_POSITION: i64 = 1_000_000_000;

/// One page of the member's team (down to three generations, of one generation when given) from
/// position `skip`, and the position of the next page.
pub(crate) async fn team_page(
    state: &AppState,
    phone: &Phone,
    generation: Option<i64>,
    skip: i64,
    limit: i64,
) -> Result<(Vec<TeamMember>, Option<i64>), ApiError> {
    // No team is this large: a position past it is not one this server gave (and must not overflow).
    if skip > MAX_TEAM_POSITION {
        return Err(ApiError::refused(ErrorCode::InvalidCursor, "the cursor is not one this server gave"));
    }
    let params = ParamsInForce::today(state).await?;
    let mut rows = members::team_page(&state.graph, phone, generation, skip, limit + 1, &params.tier_thresholds_fen()).await?;
    let next = (rows.len() as i64 > limit).then_some(skip + limit);
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    let items = rows
        .into_iter()
        .map(|r| {
            Ok(TeamMember {
                phone: masked(&r.phone),
                depth: r.depth,
                tier: params.tier_name(r.tier_rank),
                team_volume: money(r.team_cash_fen + r.team_points_fen)?,
                team_volume_cash: money(r.team_cash_fen)?,
                team_volume_points: money(r.team_points_fen)?,
                team_size: r.team_size,
                direct_count: r.direct_count,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok((items, next))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TeamQuery {
    /// Only this generation below the member: 1 (direct referrals), 2 or 3.
    generation: Option<i64>,
    limit: Option<i64>,
    cursor: Option<String>,
}

/// A team page's position: how many members came before it (it names no one).
#[derive(Serialize, Deserialize)]
struct TeamPosition(i64);

/// The logged-in member's team down to three generations, by generation then phone, paged. Phones
/// are masked; each member's team size and volume cover everything below it.
#[utoipa::path(
    tag = "me", params(TeamQuery),
    responses((status = 200, body = Page<TeamMember>), (status = 401, description = "unauthorized: no member session")),
    security(("member_session" = []))
)]
#[get("/me/team")]
pub async fn team(state: web::Data<AppState>, me: Me, query: web::Query<TeamQuery>) -> Result<HttpResponse, ApiError> {
    let limit = paging::limit(query.limit)?;
    if query.generation.is_some_and(|g| !(1..=members::TEAM_GENERATIONS).contains(&g)) {
        return Err(ApiError::refused(
            ErrorCode::InvalidGeneration,
            format!("generation must be between 1 and {}", members::TEAM_GENERATIONS),
        ));
    }
    let skip = match query.cursor.as_deref().map(paging::decode::<TeamPosition>).transpose()? {
        Some(TeamPosition(skip)) if skip >= 0 => skip,
        Some(_) => return Err(ApiError::refused(ErrorCode::InvalidCursor, "the cursor is not one this server gave")),
        None => 0,
    };
    let (items, next) = team_page(&state, &me.phone, query.generation, skip, limit).await?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor: next.map(|n| paging::encode(&TeamPosition(n))) }))
}

/// Masks the phones of the branches a statement's sources name.
fn masked_sources(mut statement: StatementWithSources) -> StatementWithSources {
    for branch in &mut statement.sources {
        branch.phone = masked(&branch.phone);
    }
    statement
}

pub(crate) fn statement_not_found(day: BusinessDay) -> ApiError {
    ApiError::refused(ErrorCode::StatementNotFound, format!("no statement on {day}"))
}

/// The member's own statement of a day with its sources (branch phones masked); 404 without one.
pub(crate) async fn own_statement(state: &AppState, phone: &Phone, day: BusinessDay) -> Result<StatementWithSources, ApiError> {
    let explained = statements::explained(&state.graph, phone, day).await?.ok_or_else(|| statement_not_found(day))?;
    Ok(masked_sources(with_sources(explained)?))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MeStatementsQuery {
    /// First day (default: 30 days before `to`).
    from: Option<String>,
    /// Last day (default: today); at most 31 days from `from`.
    to: Option<String>,
    limit: Option<i64>,
    cursor: Option<String>,
}

/// The longest range one `/me/statements` request covers (each statement comes with its sources).
const MAX_ME_STATEMENT_DAYS: i64 = 31;

/// The logged-in member's daily statements with their sources, the latest first, paged.
#[utoipa::path(
    tag = "me", params(MeStatementsQuery),
    responses((status = 200, body = Page<StatementWithSources>), (status = 400, description = "invalid_date"), (status = 422, description = "invalid_range"),
              (status = 401, description = "unauthorized: no member session")),
    security(("member_session" = []))
)]
#[get("/me/statements")]
pub async fn statements_list(state: web::Data<AppState>, me: Me, query: web::Query<MeStatementsQuery>) -> Result<HttpResponse, ApiError> {
    let to = query.to.as_deref().map(|day| BusinessDay::parse_relative(day, state.today())).transpose()?.unwrap_or_else(|| state.today());
    let from = match query.from.as_deref() {
        Some(from) => BusinessDay::parse_relative(from, state.today())?,
        None => BusinessDay::from_date(to.date() - chrono::Days::new(30)),
    };
    let span = (to.date() - from.date()).num_days();
    if !(0..MAX_ME_STATEMENT_DAYS).contains(&span) {
        return Err(ApiError::refused(
            ErrorCode::InvalidRange,
            format!("from must be on or before to, at most {} days apart", MAX_ME_STATEMENT_DAYS - 1),
        ));
    }
    let limit = paging::limit(query.limit)?;
    let ends = crate::http::api::settlements::page_ends(to, query.cursor.as_deref())?;
    let explained = if ends < from { Vec::new() } else { statements::explained_range(&state.graph, &me.phone, from, ends).await? };
    let mut items = explained.into_iter().map(|e| with_sources(e).map(masked_sources)).collect::<Result<Vec<_>, _>>()?;
    items.sort_by_key(|item| std::cmp::Reverse(item.statement.date));
    let next_cursor = crate::http::api::settlements::cut_statements(&mut items, limit, |item| item.statement.date);
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// The logged-in member's statement of one day with its sources (branch phones masked).
#[utoipa::path(
    tag = "me", params(("date" = String, Path, example = "2026-01-10")),
    responses((status = 200, body = StatementWithSources), (status = 401, description = "unauthorized: no member session"),
              (status = 404, description = "statement_not_found")),
    security(("member_session" = []))
)]
#[get("/me/statements/{date}")]
pub async fn statement_of_day(state: web::Data<AppState>, me: Me, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let day = BusinessDay::parse_relative(&path, state.today())?;
    Ok(HttpResponse::Ok().json(own_statement(&state, &me.phone, day).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeWithdrawalBody {
    #[schema(example = "100.00")]
    amount: String,
    /// The member's key for this request (1 to 100 characters): sending it again replays the answer.
    #[schema(example = "2f1c0a4e-0d7b-4c1e-9a57-1b2f3c4d5e6f")]
    idempotency_key: String,
}

/// Ask to withdraw available points (at least `withdrawal_min`): the amount moves to frozen until
/// an admin pays or rejects it. The rule is that of `POST /withdrawals`.
#[utoipa::path(
    tag = "me", request_body = MeWithdrawalBody,
    responses((status = 201, body = MyWithdrawal), (status = 400, description = "invalid_amount, invalid_idempotency_key"),
              (status = 401, description = "unauthorized: no member session"),
              (status = 409, description = "idempotency_key_conflict"),
              (status = 422, description = "below_withdrawal_min, insufficient_points")),
    security(("member_session" = []))
)]
#[post("/me/withdrawals")]
pub async fn withdraw(state: web::Data<AppState>, me: Me, body: web::Json<MeWithdrawalBody>) -> Result<HttpResponse, ApiError> {
    let amount = crate::domain::money::Money::parse_positive(&body.amount)?;
    let actor = crate::domain::audit::Actor::Member(me.phone.clone());
    let row = crate::app::withdrawals::request(&state, &actor, &me.phone, amount, &body.idempotency_key).await?;
    Ok(HttpResponse::Created().json(my_withdrawal(row)?))
}

/// The logged-in member's orders, the latest paid first, paged, each with its pool and status.
#[utoipa::path(
    tag = "me", params(crate::http::api::orders::MemberOrdersQuery),
    responses((status = 200, body = Page<crate::http::api::orders::OrderView>), (status = 401, description = "unauthorized: no member session")),
    security(("member_session" = []))
)]
#[get("/me/orders")]
pub async fn orders(
    state: web::Data<AppState>,
    me: Me,
    query: web::Query<crate::http::api::orders::MemberOrdersQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(crate::http::api::orders::page_of(&state, &me.phone, &query).await?))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MeWithdrawalsQuery {
    limit: Option<i64>,
    cursor: Option<String>,
}

/// The logged-in member's withdrawals, the latest first, paged.
#[utoipa::path(
    tag = "me", params(MeWithdrawalsQuery),
    responses((status = 200, body = Page<MyWithdrawal>), (status = 401, description = "unauthorized: no member session")),
    security(("member_session" = []))
)]
#[get("/me/withdrawals")]
pub async fn withdrawals_list(state: web::Data<AppState>, me: Me, query: web::Query<MeWithdrawalsQuery>) -> Result<HttpResponse, ApiError> {
    let limit = paging::limit(query.limit)?;
    let after = WithdrawalPosition::after(query.cursor.as_deref())?;
    let mut rows = withdrawals::of_member(&state.graph, me.phone.as_str(), after, limit + 1).await?;
    let next_cursor = WithdrawalPosition::next_cursor(&mut rows, limit);
    let items = rows.into_iter().map(my_withdrawal).collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}
