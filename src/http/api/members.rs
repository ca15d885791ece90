//! Members: registration, the summary with the Cypher analytics, the downline, sponsor changes,
//! adjustments of available points.
use actix_web::{HttpResponse, get, post, put, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ParamsInForce, money};
use crate::app::adjustments::{self, Adjustment};
use crate::app::members::Registration;
use crate::app::{self, AppError};
use crate::domain::audit::{Detail, Via};
use crate::domain::error_code::ErrorCode;
use crate::domain::money::{Money, SignedMoney};
use crate::domain::name::Name;
use crate::domain::password::Password;
use crate::domain::phone::Phone;
use crate::domain::scope::Scope;
use crate::graph::members::{self, DownlineCursor, MemberRow};
use crate::http::AppState;
use crate::http::auth::ApiClient;
use crate::http::error::ApiError;
use crate::http::paging::{self, Page};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterBody {
    #[schema(example = "13800000001")]
    phone: String,
    /// Null only for the first member of the scheme (the root).
    #[schema(example = "13800000000")]
    sponsor_phone: Option<String>,
    /// Optional: a member without a password cannot log in until it sets one by SMS. 8 to 128
    /// characters, hard to guess (zxcvbn score 3 or more), not holding the phone (422 `weak_password`).
    password: Option<String>,
    /// Up to 50 characters, each shown as itself: no control, formatting (bidi, zero-width),
    /// separator, private-use or unassigned characters (400 `invalid_name`).
    name: Option<String>,
}

/// A member's own figures, the same in the admin's view (`/members/{phone}`) and in the member's
/// (`/me`): balances, level and tier, team volume split cash / points, team size.
#[derive(Serialize, ToSchema)]
pub struct MemberFigures {
    pub phone: String,
    pub name: Option<String>,
    /// When the member was registered, with the scheme's offset (null for a member stored before
    /// that was kept).
    #[schema(example = "2026-01-10T10:00:00.000+08:00")]
    pub joined_at: Option<String>,
    /// The same, as the pages show it (local date and time).
    #[serde(skip)]
    pub joined_at_local: Option<String>,
    /// Level of the largest non-refunded order (初级/中级/高级/VIP), or null.
    pub level: Option<String>,
    /// Team tier by team volume (青铜…王者), or null.
    pub tier: Option<String>,
    #[schema(value_type = String, example = "50000.00")]
    pub team_volume: Money,
    #[schema(value_type = String)]
    pub team_volume_cash: Money,
    #[schema(value_type = String)]
    pub team_volume_points: Money,
    /// Points still to be released from the member's orders.
    #[schema(value_type = String)]
    pub pool: Money,
    #[schema(value_type = String)]
    pub available: Money,
    #[schema(value_type = String)]
    pub frozen: Money,
    pub direct_count: i64,
    pub team_size: i64,
    /// When the team figures were last brought up to date (the team fold runs every second;
    /// orders and new members after it are counted at the next one), with the scheme's offset.
    #[schema(example = "2026-12-02T12:00:01.250+08:00")]
    pub team_as_of: String,
    /// The same, as the pages show it (local date and time).
    #[serde(skip)]
    pub team_as_of_local: String,
}

impl MemberFigures {
    /// The figures of a member's summary, its level and tier named by `params`, times in `tz`.
    pub(crate) fn of(row: &MemberRow, params: &ParamsInForce, tz: chrono_tz::Tz) -> Result<MemberFigures, ApiError> {
        let largest = money(row.largest_order_fen)?;
        Ok(MemberFigures {
            team_as_of: super::local_instant(row.team_as_of_ms, tz),
            team_as_of_local: crate::http::pages::format::local_time(row.team_as_of_ms, tz, true),
            phone: row.phone.clone(),
            name: row.name.clone(),
            joined_at: (row.joined_at_ms > 0).then(|| super::local_instant(row.joined_at_ms, tz)),
            joined_at_local: (row.joined_at_ms > 0).then(|| crate::http::pages::format::local_time(row.joined_at_ms, tz, false)),
            level: if largest.is_zero() { None } else { params.level_name(largest) },
            tier: params.tier_name(row.tier_rank),
            team_volume: money(row.team_cash_fen + row.team_points_fen)?,
            team_volume_cash: money(row.team_cash_fen)?,
            team_volume_points: money(row.team_points_fen)?,
            pool: money(row.pool_fen)?,
            available: money(row.available_fen)?,
            frozen: money(row.frozen_fen)?,
            direct_count: row.direct_count,
            team_size: row.team_size,
        })
    }
}

/// A member with the analytics the graph computes.
#[derive(Serialize, ToSchema)]
pub struct MemberView {
    #[serde(flatten)]
    pub figures: MemberFigures,
    pub sponsor_phone: Option<String>,
    /// The member's invitation code (8 characters of Crockford base32): its invitation link is
    /// `/register?code=…` on the member portal.
    #[schema(example = "7K3M9Q2X")]
    pub invitation_code: String,
    /// Peer-level matches: the nearest uplines of the same tier, nearest first.
    pub peer_uplines: Vec<String>,
    /// Peer-level matches: the nearest members of the same tier below, one per branch.
    pub peer_downlines: Vec<String>,
}

pub(crate) async fn view(state: &AppState, phone: &Phone) -> Result<MemberView, ApiError> {
    let params = ParamsInForce::today(state).await?;
    let thresholds = params.tier_thresholds_fen();
    let mut row: MemberRow = members::summary(&state.graph, phone, &thresholds).await?.ok_or_else(AppError::member_not_found)?;
    let invitation_code = app::members::invitation_code(state, phone, row.invitation_code.take()).await?;
    let (peer_uplines, peer_downlines) = members::peers(&state.graph, phone, &thresholds).await?;
    Ok(MemberView {
        figures: MemberFigures::of(&row, &params, state.tz)?,
        sponsor_phone: row.sponsor_phone,
        invitation_code,
        peer_uplines,
        peer_downlines,
    })
}

/// Register a member under a sponsor (the first member of a scheme has none).
#[utoipa::path(
    tag = "members", request_body = RegisterBody,
    responses((status = 201, body = MemberView), (status = 400, body = crate::http::error::ErrorBody),
              (status = 409, description = "phone_taken, root_exists"), (status = 422, description = "sponsor_not_found, weak_password")),
    security(("bearer" = ["members:write"]))
)]
#[post("/members")]
pub async fn register(state: web::Data<AppState>, client: ApiClient, body: web::Json<RegisterBody>) -> Result<HttpResponse, ApiError> {
    client.require(Scope::MembersWrite)?;
    let body = body.into_inner();
    let phone = Phone::parse(&body.phone)?;
    let registration = Registration {
        phone: phone.clone(),
        sponsor: body.sponsor_phone.as_deref().map(Phone::parse).transpose()?,
        name: body.name.as_deref().map(Name::parse_optional).transpose()?.flatten(),
        password: body.password.as_deref().map(|password| Password::choose(password, phone.as_str())).transpose()?,
        origin: Detail { via: Some(Via::Api), ..Detail::default() },
    };
    app::members::register(&state, &client.actor(), registration).await?;
    Ok(HttpResponse::Created().json(view(&state, &phone).await?))
}

/// A member's figures: balances, team volume split cash / points, tier, level, peer matches.
///
/// Needs the scope `members:read` (or `admin`): a member's balances are personal, and no other
/// scope reads them.
#[utoipa::path(
    tag = "members", params(("phone" = String, Path, example = "13800000001")),
    responses((status = 200, body = MemberView), (status = 403, description = "forbidden: the API key lacks members:read"),
              (status = 404, description = "member_not_found")),
    security(("bearer" = ["members:read"]))
)]
#[get("/members/{phone}")]
pub async fn summary(state: web::Data<AppState>, client: ApiClient, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    client.require(Scope::MembersRead)?;
    let phone = Phone::parse(&path)?;
    Ok(HttpResponse::Ok().json(view(&state, &phone).await?))
}

/// The orders of the member list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MemberSort {
    /// The largest team volume first (equal volumes by phone, descending); also tier order.
    #[default]
    TeamVolume,
    /// The newest member first.
    Joined,
}

impl MemberSort {
    pub fn order(self) -> members::ListOrder {
        match self {
            MemberSort::TeamVolume => members::ListOrder::TeamVolume,
            MemberSort::Joined => members::ListOrder::Joined,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MemberSort::TeamVolume => "team_volume",
            MemberSort::Joined => "joined",
        }
    }

    pub fn parse(text: &str) -> Result<MemberSort, ApiError> {
        match text {
            "team_volume" => Ok(MemberSort::TeamVolume),
            "joined" => Ok(MemberSort::Joined),
            other => Err(ApiError::refused(ErrorCode::InvalidSort, format!("sort is team_volume or joined, not {other:?}"))),
        }
    }
}

/// What a tier or level filter names: `none`, or a name of the version in force today.
pub const FILTER_NONE: &str = "none";

/// Parses the member list's filters by the names of the version in force.
pub fn list_filter(params: &ParamsInForce, tier: Option<&str>, level: Option<&str>) -> Result<app::members::ListFilter, ApiError> {
    fn by_name<'n>(
        text: Option<&str>,
        mut names: impl Iterator<Item = &'n str>,
        code: ErrorCode,
        what: &str,
    ) -> Result<Option<Option<usize>>, ApiError> {
        match text {
            None | Some("") => Ok(None),
            Some(FILTER_NONE) => Ok(Some(None)),
            Some(name) => names
                .position(|n| n == name)
                .map(|index| Some(Some(index)))
                .ok_or_else(|| ApiError::refused(code, format!("no {what} is named {name:?} in the version in force"))),
        }
    }
    Ok(app::members::ListFilter {
        tier: by_name(tier, params.team_tiers().iter().map(|t| t.name.as_str()), ErrorCode::InvalidTierFilter, "team tier")?,
        level: by_name(level, params.order_levels().iter().map(|l| l.name.as_str()), ErrorCode::InvalidLevelFilter, "order level")?,
    })
}

/// Where a page of the member list ends: its order and the last key read.
#[derive(Serialize, Deserialize)]
pub struct ListPosition {
    pub sort: MemberSort,
    pub key: String,
}

impl ListPosition {
    /// The key a cursor reads below, refused when the cursor was given for another order.
    pub fn key_of(cursor: Option<&str>, sort: MemberSort) -> Result<Option<String>, ApiError> {
        let Some(cursor) = cursor else { return Ok(None) };
        let position: ListPosition = paging::decode(cursor)?;
        if position.sort != sort {
            return Err(ApiError::refused(ErrorCode::InvalidCursor, "the cursor was given for another sort order"));
        }
        Ok(Some(position.key))
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MemberListQuery {
    /// `team_volume` (default: the largest team first, which is also tier order) or `joined` (the newest first).
    sort: Option<String>,
    /// Only members of this team tier (its name in the version in force), or `none` for those without one.
    tier: Option<String>,
    /// Only members of this order level (the level of their largest live order), or `none`.
    level: Option<String>,
    limit: Option<i64>,
    cursor: Option<String>,
}

/// A member in the member list.
#[derive(Serialize, ToSchema)]
pub struct ListedMemberView {
    phone: String,
    name: Option<String>,
    /// When the member was registered, with the scheme's offset (null for a member stored before that was kept).
    joined_at: Option<String>,
    level: Option<String>,
    tier: Option<String>,
    #[schema(value_type = String)]
    team_volume: Money,
    team_size: i64,
    direct_count: i64,
}

/// Every member, paged: by team volume (tier order) or by join date, optionally of one tier or
/// one level. With a filter, a page reads at most 2,000 members in order and lists those that
/// pass, so a page may hold fewer than `limit` items: follow `next_cursor` until it is null.
///
/// Needs the scope `members:read` (or `admin`).
#[utoipa::path(
    tag = "members", params(MemberListQuery),
    responses((status = 200, body = Page<ListedMemberView>), (status = 400, description = "invalid_sort, invalid_tier, invalid_level, invalid_limit, invalid_cursor"),
              (status = 403, description = "forbidden: the API key lacks members:read")),
    security(("bearer" = ["members:read"]))
)]
#[get("/members")]
pub async fn list(state: web::Data<AppState>, client: ApiClient, query: web::Query<MemberListQuery>) -> Result<HttpResponse, ApiError> {
    client.require(Scope::MembersRead)?;
    let sort = query.sort.as_deref().map(MemberSort::parse).transpose()?.unwrap_or_default();
    let limit = paging::limit(query.limit)?;
    let before = ListPosition::key_of(query.cursor.as_deref(), sort)?;
    let params = ParamsInForce::today(&state).await?;
    let filter = list_filter(&params, query.tier.as_deref(), query.level.as_deref())?;
    let page = app::members::list(&state, &params, sort.order(), filter, before.as_deref(), limit).await?;
    let rows = listed_in_order(&state, &params, &page.phones).await?;
    let items = rows
        .into_iter()
        .map(|r| {
            Ok(ListedMemberView {
                joined_at: (r.joined_at_ms > 0).then(|| super::local_instant(r.joined_at_ms, state.tz)),
                level: if r.largest_order_fen > 0 { params.level_name(money(r.largest_order_fen)?) } else { None },
                tier: params.tier_name(r.tier_rank),
                team_volume: money(r.team_cash_fen + r.team_points_fen)?,
                team_size: r.team_size,
                direct_count: r.direct_count,
                name: r.name,
                phone: r.phone,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let next_cursor = page.next_key.map(|key| paging::encode(&ListPosition { sort, key }));
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// The list figures of these members, in the order given.
pub async fn listed_in_order(state: &AppState, params: &ParamsInForce, phones: &[String]) -> Result<Vec<members::ListedMember>, ApiError> {
    let mut rows = members::listing(&state.graph, phones, &params.tier_thresholds_fen()).await?;
    let place: std::collections::HashMap<&str, usize> = phones.iter().enumerate().map(|(i, p)| (p.as_str(), i)).collect();
    rows.sort_by_key(|r| place.get(r.phone.as_str()).copied().unwrap_or(usize::MAX));
    Ok(rows)
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DownlineQuery {
    /// How many generations below (1 to 10, default 1).
    depth: Option<i64>,
    limit: Option<i64>,
    cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DownlineMember {
    phone: String,
    sponsor_phone: String,
    depth: i64,
    tier: Option<String>,
    #[schema(value_type = String)]
    team_volume: Money,
    #[schema(value_type = String)]
    team_volume_cash: Money,
    #[schema(value_type = String)]
    team_volume_points: Money,
    team_size: i64,
    direct_count: i64,
}

pub const MAX_DOWNLINE_DEPTH: i64 = 10;

#[derive(Serialize, Deserialize)]
struct DownlinePosition(i64, String);

/// The members below a member, by depth then phone, paged.
///
/// Needs the scope `members:read` (or `admin`).
#[utoipa::path(
    tag = "members", params(("phone" = String, Path), DownlineQuery),
    responses((status = 200, body = Page<DownlineMember>), (status = 403, description = "forbidden: the API key lacks members:read"),
              (status = 404, description = "member_not_found")),
    security(("bearer" = ["members:read"]))
)]
#[get("/members/{phone}/downline")]
pub async fn downline(
    state: web::Data<AppState>,
    client: ApiClient,
    path: web::Path<String>,
    query: web::Query<DownlineQuery>,
) -> Result<HttpResponse, ApiError> {
    client.require(Scope::MembersRead)?;
    let phone = Phone::parse(&path)?;
    if !members::exists(&state.graph, &phone).await? {
        return Err(AppError::member_not_found().into());
    }
    let depth = query.depth.unwrap_or(1);
    if !(1..=MAX_DOWNLINE_DEPTH).contains(&depth) {
        return Err(ApiError::refused(ErrorCode::InvalidDepth, format!("depth must be between 1 and {MAX_DOWNLINE_DEPTH}")));
    }
    let limit = paging::limit(query.limit)?;
    let cursor = query
        .cursor
        .as_deref()
        .map(paging::decode::<DownlinePosition>)
        .transpose()?
        .map(|DownlinePosition(depth, phone)| DownlineCursor { depth, phone });
    let params = ParamsInForce::today(&state).await?;
    let mut rows = members::downline(&state.graph, &phone, depth, cursor.as_ref(), limit + 1, &params.tier_thresholds_fen()).await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| paging::encode(&DownlinePosition(r.depth, r.phone.clone())))
    } else {
        None
    };
    let items = rows
        .into_iter()
        .map(|r| {
            Ok(DownlineMember {
                tier: params.tier_name(r.tier_rank),
                team_volume: money(r.team_cash_fen + r.team_points_fen)?,
                team_volume_cash: money(r.team_cash_fen)?,
                team_volume_points: money(r.team_points_fen)?,
                phone: r.phone,
                sponsor_phone: r.sponsor_phone,
                depth: r.depth,
                team_size: r.team_size,
                direct_count: r.direct_count,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SponsorBody {
    sponsor_phone: String,
}

/// Move a member, with its whole downline, under a new sponsor (from the next unsettled day).
#[utoipa::path(
    tag = "members", params(("phone" = String, Path)), request_body = SponsorBody,
    responses((status = 200, body = MemberView), (status = 404, description = "member_not_found"),
              (status = 422, description = "sponsor_cycle, sponsor_not_found")),
    security(("bearer" = ["admin"]))
)]
#[put("/members/{phone}/sponsor")]
pub async fn change_sponsor(
    state: web::Data<AppState>,
    client: ApiClient,
    path: web::Path<String>,
    body: web::Json<SponsorBody>,
) -> Result<HttpResponse, ApiError> {
    client.require(Scope::Admin)?;
    let phone = Phone::parse(&path)?;
    let sponsor = Phone::parse(&body.sponsor_phone)?;
    app::members::change_sponsor(&state, &client.actor(), &phone, &sponsor).await?;
    Ok(HttpResponse::Ok().json(view(&state, &phone).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustmentBody {
    /// Signed: "+100.00" adds available points, "-50.00" removes them.
    #[schema(example = "-50.00")]
    amount: String,
    /// Why, for the audit log (1 to 200 characters).
    reason: String,
    /// The caller's key for this adjustment (1 to 100 characters, unique per member): sending the
    /// same request again with it replays the first answer and moves nothing.
    #[schema(example = "adj-20260110-0001")]
    idempotency_key: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AdjustmentReceipt {
    phone: String,
    #[schema(value_type = String)]
    amount: SignedMoney,
    reason: String,
    /// Available points after the adjustment.
    #[schema(value_type = String)]
    available: Money,
}

/// Add or remove a member's available points, with a reason; recorded in the audit log.
#[utoipa::path(
    tag = "members", params(("phone" = String, Path)), request_body = AdjustmentBody,
    responses((status = 201, body = AdjustmentReceipt), (status = 404, description = "member_not_found"),
              (status = 409, description = "idempotency_key_conflict"),
              (status = 422, description = "insufficient_points, balance_too_large")),
    security(("bearer" = ["admin"]))
)]
#[post("/members/{phone}/adjustments")]
pub async fn adjust(
    state: web::Data<AppState>,
    client: ApiClient,
    path: web::Path<String>,
    body: web::Json<AdjustmentBody>,
) -> Result<HttpResponse, ApiError> {
    client.require(Scope::Admin)?;
    let phone = Phone::parse(&path)?;
    let adjustment = Adjustment::parse(phone, SignedMoney::parse(&body.amount)?, &body.reason, body.idempotency_key.as_deref())?;
    let adjusted = adjustments::adjust(&state, &client.actor(), adjustment.clone()).await?;
    Ok(HttpResponse::Created().json(AdjustmentReceipt {
        phone: adjustment.phone.to_string(),
        amount: adjustment.amount,
        reason: adjustment.reason,
        available: money(adjusted.available_fen())?,
    }))
}
