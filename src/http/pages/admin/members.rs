//! Members: search by phone, the member's page (figures, orders, statements, uplines, referrals),
//! its statements with their sources, and the adjustment and sponsor change forms.
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, ResponseError, web};
use askama::Template;
use serde::Deserialize;

use crate::app::adjustments::{self, Adjustment};
use crate::app::members::SponsorMove;
use crate::app::{self, statements};
use crate::domain::day::BusinessDay;
use crate::domain::error_code::ErrorCode;
use crate::domain::member_search::MemberSearch;
use crate::domain::money::{Money, SignedMoney};
use crate::domain::phone::Phone;
use crate::domain::role::Permission;
use crate::graph::settlements::statements as statement_rows;
use crate::graph::{members, orders};
use crate::http::AppState;
use crate::http::api::ParamsInForce;
use crate::http::api::members::{ListPosition, MemberFigures, MemberSort, MemberView, list_filter, listed_in_order, view};
use crate::http::api::settlements::{StatementWithSources, with_sources};
use crate::http::error::ApiError;
use crate::http::pages::format::{filters, local_time, yuan};
use crate::http::pages::order_line::OrderLine;
use crate::http::pages::{Admin, AdminForm, Chrome, PageResult, html, see_other, urlencode};
use crate::http::paging;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/members", web::get().to(search))
        .route("/members/{phone}", web::get().to(detail))
        .route("/members/{phone}/adjust", web::post().to(adjust))
        .route("/members/{phone}/sponsor", web::post().to(change_sponsor))
        .route("/members/{phone}/statements/{day}", web::get().to(statement));
}

const SEARCH_LIMIT: i64 = 50;
const LIST_PAGE: i64 = 50;
const UPLINES_SHOWN: i64 = 20;
const REFERRALS_SHOWN: i64 = 50;
const ORDERS_SHOWN: i64 = 50;
const STATEMENTS_SHOWN: i64 = 20;

/// A member in a list: what its node keeps.
pub struct Listed {
    pub phone: String,
    pub name: String,
    /// When it joined, local date and time ("-" for a member stored before that was kept).
    pub joined: String,
    pub tier: String,
    pub team_volume_fen: i64,
    pub team_size: i64,
    pub direct_count: i64,
    /// The order level of its largest live order ("-" without one), and what it bought itself.
    pub level: String,
    pub own_fen: i64,
}

impl Listed {
    pub fn of(row: members::ListedMember, params: &ParamsInForce, tz: chrono_tz::Tz) -> Listed {
        let largest = Money::from_fen(row.largest_order_fen).unwrap_or(Money::ZERO);
        Listed {
            joined: if row.joined_at_ms > 0 { local_time(row.joined_at_ms, tz, false) } else { "-".into() },
            level: if largest.is_zero() { None } else { params.level_name(largest) }.unwrap_or_else(|| "-".into()),
            own_fen: row.own_fen,
            tier: params.tier_name(row.tier_rank).unwrap_or_else(|| "-".into()),
            team_volume_fen: row.team_cash_fen + row.team_points_fen,
            team_size: row.team_size,
            direct_count: row.direct_count,
            name: row.name.unwrap_or_default(),
            phone: row.phone,
        }
    }
}

#[derive(Template)]
#[template(path = "admin/members.html")]
struct SearchPage {
    chrome: Chrome,
    q: String,
    invalid: bool,
    results: Vec<Listed>,
    /// More members match than are listed.
    more: bool,
    /// Without a search: every member, paged, in the order and with the filters chosen.
    list: Option<ListView>,
}

/// The member list's choices and the page they gave.
struct ListView {
    sort: &'static str,
    tier: String,
    level: String,
    /// The names of the tiers and levels of the version in force, to choose from.
    tiers: Vec<String>,
    levels: Vec<String>,
    /// The next page's address, None on the last.
    next: Option<String>,
    /// This is not the first page: offer the way back to it.
    paged: bool,
}

#[derive(Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
    sort: Option<String>,
    tier: Option<String>,
    level: Option<String>,
    cursor: Option<String>,
}

pub async fn search(state: web::Data<AppState>, admin: Admin, req: HttpRequest, query: web::Query<SearchQuery>) -> PageResult {
    let q = query.q.as_deref().unwrap_or("").trim().to_string();
    let search = MemberSearch::parse(&q);
    let valid = search.is_some();
    let params = ParamsInForce::today(&state).await.map_err(|e| admin.refused(e))?;
    let (mut results, mut more, mut list) = (Vec::new(), false, None);
    if let Some(search) = search {
        let found = members::search(&state.graph, &search, SEARCH_LIMIT).await.map_err(|e| admin.refused(e))?;
        more = found.more;
        let rows = members::listing(&state.graph, &found.phones, &params.tier_thresholds_fen()).await.map_err(|e| admin.refused(e))?;
        results = rows.into_iter().map(|r| Listed::of(r, &params, state.tz)).collect();
    } else if q.is_empty() {
        let (rows, view) = member_list(&state, &params, &query).await.map_err(|e| admin.refused(e))?;
        results = rows;
        list = Some(view);
    }
    let page = SearchPage { chrome: Chrome::of(&admin, "members", &req), invalid: !q.is_empty() && !valid, q, results, more, list };
    html(StatusCode::OK, &page)
}

/// A page of the member list as the query chooses it (the API's `GET /members`, as a page).
async fn member_list(state: &AppState, params: &ParamsInForce, query: &SearchQuery) -> Result<(Vec<Listed>, ListView), ApiError> {
    let sort = query.sort.as_deref().filter(|s| !s.is_empty()).map(MemberSort::parse).transpose()?.unwrap_or_default();
    let before = ListPosition::key_of(query.cursor.as_deref().filter(|c| !c.is_empty()), sort)?;
    let (tier, level) = (query.tier.clone().unwrap_or_default(), query.level.clone().unwrap_or_default());
    let filter = list_filter(params, Some(&tier), Some(&level))?;
    let page = app::members::list(state, params, sort.order(), filter, before.as_deref(), LIST_PAGE).await?;
    let rows = listed_in_order(state, params, &page.phones).await?;
    let next = page.next_key.map(|key| {
        let cursor = paging::encode(&ListPosition { sort, key });
        let query = [("sort", sort.as_str()), ("tier", tier.as_str()), ("level", level.as_str()), ("cursor", cursor.as_str())];
        format!("/admin/members?{}", serde_urlencoded::to_string(query).unwrap_or_default())
    });
    let view = ListView {
        sort: sort.as_str(),
        tiers: params.team_tiers().iter().map(|t| t.name.clone()).collect(),
        levels: params.order_levels().iter().map(|l| l.name.clone()).collect(),
        tier,
        level,
        next,
        paged: before.is_some(),
    };
    Ok((rows.into_iter().map(|r| Listed::of(r, params, state.tz)).collect(), view))
}

pub struct StatementLine {
    day: String,
    static_fen: i64,
    share_fen: i64,
    team_fen: i64,
    peer_fen: i64,
    forfeited_fen: i64,
    total_fen: i64,
}

pub struct UplineLine {
    phone: String,
    generation: i64,
    tier: String,
}

/// What the admin typed into a form that was refused, with the reason, shown again next to it.
#[derive(Default)]
pub struct Refused {
    value: String,
    reason: String,
    reason_text: String,
}

/// How the page's last form went: done (the page says what was done), or one of its forms
/// refused (the adjustment's reason typed kept with its amount).
#[derive(Default)]
pub struct FormOutcome {
    done: Option<Done>,
    adjust: Refused,
    adjust_reason: String,
    sponsor: Refused,
}

/// What the last form did.
pub enum Done {
    Adjusted(SignedMoney),
    SponsorChanged,
}

#[derive(Template)]
#[template(path = "admin/member.html")]
struct MemberPage {
    chrome: Chrome,
    m: MemberFigures,
    sponsor_phone: Option<String>,
    /// (next tier, volume still needed, percent reached), or None at the top.
    progress: Option<(String, Money, i64)>,
    orders: Vec<OrderLine>,
    statements: Vec<StatementLine>,
    uplines: Vec<UplineLine>,
    referrals: Vec<Listed>,
    more_referrals: bool,
    outcome: FormOutcome,
    /// What the last form did, in a sentence.
    notice: Option<String>,
    /// The older statements' page, and whether this is not the newest.
    older: Option<String>,
    newest: bool,
    /// The adjustment form's idempotency key: a form posted twice adjusts once.
    adjust_key: String,
    /// The forms the admin's role may use: (adjustments, sponsor change).
    may_adjust: bool,
    may_change_sponsor: bool,
}

#[derive(Deserialize)]
pub struct DetailQuery {
    done: Option<String>,
    /// The adjustment just made (`done=adjust`).
    amount: Option<String>,
    /// The statements before this day.
    before: Option<String>,
}

fn phone_of(admin: &Admin, text: &str) -> Result<Phone, crate::http::pages::PageError> {
    Phone::parse(text).map_err(|e| admin.refused(e))
}

async fn render(
    state: &AppState,
    admin: &Admin,
    req: &HttpRequest,
    phone: &Phone,
    status: StatusCode,
    outcome: FormOutcome,
    before: Option<BusinessDay>,
) -> PageResult {
    let MemberView { figures: m, sponsor_phone, .. } = view(state, phone).await.map_err(|e| admin.refused(e))?;
    let params = ParamsInForce::today(state).await.map_err(|e| admin.refused(e))?;
    let thresholds = params.tier_thresholds_fen();
    let progress = params.next_tier(m.team_volume).map(|next| (next.tier.name.clone(), next.needed, next.percent));
    let graph = &state.graph;
    let order_rows = orders::of_member(graph, phone.as_str(), None, ORDERS_SHOWN).await.map_err(|e| admin.refused(e))?;
    let orders = order_rows.into_iter().map(|o| OrderLine::of(o, state.tz)).collect();
    let mut statement_rows =
        statement_rows::page_of_member(graph, phone.as_str(), before, STATEMENTS_SHOWN + 1).await.map_err(|e| admin.refused(e))?;
    let older = (statement_rows.len() as i64 > STATEMENTS_SHOWN)
        .then(|| {
            statement_rows.get(STATEMENTS_SHOWN as usize - 1).map(|last| format!("/admin/members/{phone}?before={}#statements", last.day))
        })
        .flatten();
    statement_rows.truncate(STATEMENTS_SHOWN as usize);
    let statements = statement_rows
        .iter()
        .map(|s| StatementLine {
            day: s.day.to_string(),
            static_fen: s.amounts.r#static.fen(),
            share_fen: s.amounts.share_g1.fen() + s.amounts.share_g2.fen(),
            team_fen: s.amounts.team.fen(),
            peer_fen: s.amounts.peer.fen(),
            forfeited_fen: s.amounts.forfeited.fen(),
            total_fen: s.credited.fen(),
        })
        .collect();
    let upline_rows = members::uplines(graph, phone, UPLINES_SHOWN, &thresholds).await.map_err(|e| admin.refused(e))?;
    let uplines = upline_rows
        .into_iter()
        .map(|u| UplineLine { tier: params.tier_name(u.tier_rank).unwrap_or_else(|| "-".into()), phone: u.phone, generation: u.generation })
        .collect();
    let mut referral_rows = members::children(graph, phone, None, REFERRALS_SHOWN + 1, &thresholds).await.map_err(|e| admin.refused(e))?;
    let more_referrals = referral_rows.len() as i64 > REFERRALS_SHOWN;
    referral_rows.truncate(REFERRALS_SHOWN as usize);
    let t = admin.t();
    let notice = outcome.done.as_ref().map(|done| match done {
        Done::Adjusted(amount) => {
            let fen = amount.fen();
            t.adjust_done.replace("{amount}", &format!("{}{}", if fen > 0 { "+" } else { "" }, yuan(fen)))
        }
        Done::SponsorChanged => t
            .sponsor_done
            .replace("{sponsor}", sponsor_phone.as_deref().unwrap_or_default())
            .replace("{members}", &(m.team_size + 1).to_string()),
    });
    let page = MemberPage {
        chrome: Chrome::of(admin, "members", req),
        m,
        sponsor_phone,
        progress,
        orders,
        statements,
        uplines,
        referrals: referral_rows.into_iter().map(|r| Listed::of(r, &params, state.tz)).collect(),
        more_referrals,
        outcome,
        notice,
        older,
        newest: before.is_some(),
        adjust_key: crate::http::session::random_token(),
        may_adjust: admin.may(Permission::AdjustPoints),
        may_change_sponsor: admin.may(Permission::ChangeSponsor),
    };
    html(status, &page)
}

pub async fn detail(
    state: web::Data<AppState>,
    admin: Admin,
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<DetailQuery>,
) -> PageResult {
    let phone = phone_of(&admin, &path)?;
    let done = match query.done.as_deref() {
        Some("adjust") => query.amount.as_deref().and_then(|amount| SignedMoney::parse(amount).ok()).map(Done::Adjusted),
        Some("sponsor") => Some(Done::SponsorChanged),
        _ => None,
    };
    let before = query.before.as_deref().and_then(|day| BusinessDay::parse(day).ok());
    render(&state, &admin, &req, &phone, StatusCode::OK, FormOutcome { done, ..FormOutcome::default() }, before).await
}

/// Which form was refused, with what was typed into it.
enum Typed<'a> {
    Adjustment { amount: &'a str, reason: &'a str },
    Sponsor(&'a str),
}

/// Shows the member's page again with a refused form's values and reason (422).
async fn refuse(state: &AppState, admin: &Admin, req: &HttpRequest, phone: &Phone, error: ApiError, typed: Typed<'_>) -> PageResult {
    if error.status_code().is_server_error() {
        return Err(admin.refused(error));
    }
    let refused = |value: &str| Refused { value: value.to_string(), reason_text: admin.reason(&error), reason: error.code().to_string() };
    let outcome = match typed {
        Typed::Adjustment { amount, reason } => {
            FormOutcome { adjust: refused(amount), adjust_reason: reason.to_string(), ..FormOutcome::default() }
        }
        Typed::Sponsor(sponsor) => FormOutcome { sponsor: refused(sponsor), ..FormOutcome::default() },
    };
    render(state, admin, req, phone, StatusCode::UNPROCESSABLE_ENTITY, outcome, None).await
}

#[derive(Deserialize)]
pub struct AdjustFields {
    amount: String,
    reason: String,
    idempotency_key: Option<String>,
}

pub async fn adjust(state: web::Data<AppState>, req: HttpRequest, path: web::Path<String>, form: AdminForm<AdjustFields>) -> PageResult {
    let AdminForm { signed_in: admin, fields } = form;
    admin.require(Permission::AdjustPoints)?;
    let phone = phone_of(&admin, &path)?;
    let reason = fields.reason.trim();
    let applied = async {
        let amount = SignedMoney::parse(fields.amount.trim())?;
        let key = fields.idempotency_key.as_deref().filter(|key| !key.is_empty());
        let adjustment = Adjustment::parse(phone.clone(), amount, reason, key)?;
        adjustments::adjust(&state, &admin.actor(), adjustment).await?;
        Ok::<SignedMoney, ApiError>(amount)
    }
    .await;
    match applied {
        Ok(amount) => {
            state.dashboard.changed(&state.graph).await;
            Ok(see_other(&format!("/admin/members/{phone}?done=adjust&amount={}", urlencode(&amount.to_string()))))
        }
        Err(error) => refuse(&state, &admin, &req, &phone, error, Typed::Adjustment { amount: &fields.amount, reason }).await,
    }
}

#[derive(Deserialize)]
pub struct SponsorFields {
    sponsor_phone: String,
    /// `yes` from the confirmation page; without it the change is only shown, with what it moves.
    #[serde(default)]
    confirm: String,
}

#[derive(Template)]
#[template(path = "admin/sponsor_confirm.html")]
struct SponsorConfirmPage {
    chrome: Chrome,
    phone: String,
    sponsor_was: Option<String>,
    sponsor: String,
    moved: SponsorMove,
    note: String,
}

pub async fn change_sponsor(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    form: AdminForm<SponsorFields>,
) -> PageResult {
    let AdminForm { signed_in: admin, fields } = form;
    admin.require(Permission::ChangeSponsor)?;
    let phone = phone_of(&admin, &path)?;
    let confirmed = fields.confirm == "yes";
    let checked = async {
        let sponsor = Phone::parse(fields.sponsor_phone.trim())?;
        if confirmed {
            app::members::change_sponsor(&state, &admin.actor(), &phone, &sponsor).await?;
            return Ok::<_, ApiError>((sponsor, None));
        }
        let moved = app::members::sponsor_move(&state, &phone, &sponsor).await?;
        Ok((sponsor, Some(moved)))
    }
    .await;
    let (sponsor, moved) = match checked {
        Ok(checked) => checked,
        Err(error) => return refuse(&state, &admin, &req, &phone, error, Typed::Sponsor(&fields.sponsor_phone)).await,
    };
    let Some(moved) = moved.filter(|moved| moved.sponsor_was.as_deref() != Some(sponsor.as_str())) else {
        // Done, or nothing to do: the sponsor already is the one asked for.
        return Ok(see_other(&format!("/admin/members/{phone}?done=sponsor")));
    };
    let note = admin
        .t()
        .sponsor_confirm_note
        .replace("{phone}", phone.as_str())
        .replace("{members}", &moved.members.to_string())
        .replace("{sponsor}", sponsor.as_str())
        .replace("{volume}", &yuan(moved.volume.fen()));
    let page = SponsorConfirmPage {
        chrome: Chrome::of(&admin, "members", &req),
        phone: phone.to_string(),
        sponsor_was: moved.sponsor_was.clone(),
        sponsor: sponsor.to_string(),
        moved,
        note,
    };
    html(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "admin/statement.html")]
struct StatementPage {
    chrome: Chrome,
    phone: String,
    s: StatementWithSources,
}

pub async fn statement(state: web::Data<AppState>, admin: Admin, req: HttpRequest, path: web::Path<(String, String)>) -> PageResult {
    let phone = phone_of(&admin, &path.0)?;
    let day = BusinessDay::parse(&path.1).map_err(|e| admin.refused(e))?;
    let not_found = || admin.refused(ApiError::refused(ErrorCode::StatementNotFound, format!("{phone} has no statement on {day}")));
    let explained = statements::explained(&state.graph, &phone, day).await.map_err(|e| admin.refused(e))?.ok_or_else(not_found)?;
    let s = with_sources(explained).map_err(|e| admin.refused(e))?;
    let page = StatementPage { chrome: Chrome::of(&admin, "members", &req), phone: phone.to_string(), s };
    html(StatusCode::OK, &page)
}
