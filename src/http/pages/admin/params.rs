//! The parameters page: the version in force as a form that is saved as a new version (refused
//! values marked next to their inputs), every version, and the differences between two versions.
use std::collections::{BTreeMap, BTreeSet};

use std::str::FromStr;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use askama::Template;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::app;
use crate::domain::day::BusinessDay;
use crate::domain::error_code::ErrorCode;
use crate::domain::params::{self, OrderLevelDocument, Params, ParamsDocument, Reason, TeamTierDocument};
use crate::domain::role::Permission;
use crate::graph::params::{self as stored, ParamsHistory};
use crate::graph::{GraphResult, settlements};
use crate::http::AppState;
use crate::http::api::params::{self as api_params, VersionStatus};
use crate::http::error::{ApiError, FieldError};
use crate::http::pages::format::{self, local_time};
use crate::http::pages::i18n::Text;
use crate::http::pages::{Admin, AdminForm, Chrome, PageResult, html, see_other};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/params", web::get().to(page))
        .route("/params", web::post().to(create))
        .route("/params/diff", web::get().to(diff))
        .route("/params/{version}/cancel", web::post().to(cancel));
}

/// Blank rows under the order levels and the team tiers, to add entries without JavaScript.
const BLANK_ROWS: usize = 2;
const LEVEL_COLUMNS: [&str; 3] = ["name", "min_amount", "multiplier"];
const TIER_COLUMNS: [&str; 3] = ["name", "min_volume", "rate"];

/// The form as the admin typed it. Every input is named by its field's path in the document
/// (`team_tiers[2].rate`), so that a refusal of the document lands next to its input.
#[derive(Default)]
struct Typed {
    effective_from: String,
    order_levels: Vec<[String; 3]>,
    release_rate: String,
    share_rates: [String; 2],
    team_tiers: Vec<[String; 3]>,
    peer_rate: String,
    peer_generations: String,
    team_max_depth: String,
    hold_days: String,
    points_usage_ratio: String,
    withdrawal_min: String,
    withdrawal_fee_rate: String,
}

/// `order_levels[2].name` → ("order_levels", 2, "name"); `share_rates[1]` → ("share_rates", 1, "").
fn list_entry(path: &str) -> Option<(&str, usize, &str)> {
    let (list, rest) = path.split_once('[')?;
    let (index, rest) = rest.split_once(']')?;
    Some((list, index.parse().ok()?, rest.strip_prefix('.').unwrap_or(rest)))
}

fn entry_name(list: &str, index: usize, column: &str) -> String {
    if column.is_empty() { format!("{list}[{index}]") } else { format!("{list}[{index}].{column}") }
}

fn put_cell(rows: &mut BTreeMap<usize, [String; 3]>, columns: [&str; 3], index: usize, column: &str, value: String) {
    if let Some(column) = columns.iter().position(|c| *c == column) {
        rows.entry(index).or_default()[column] = value;
    }
}

fn is_blank(row: &[String; 3]) -> bool {
    row.iter().all(|cell| cell.trim().is_empty())
}

/// Whether the field at `path` is a rate, which the form shows and reads as a percentage (the
/// document, like the API, holds fractions).
fn is_rate(path: &str) -> bool {
    match list_entry(path) {
        Some((list, _, column)) => matches!((list, column), ("share_rates", "") | ("team_tiers", "rate")),
        None => matches!(path, "release_rate" | "peer_rate" | "points_usage_ratio" | "withdrawal_fee_rate"),
    }
}

/// Full-width characters, as a Chinese input method types them (`１.２％`, `３０００。００`), as ASCII.
fn halfwidth(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '。' => '.',
            _ => c,
        })
        .collect()
}

/// A document's fraction as the percentage the form shows (`0.012` → `1.2`); text that is no
/// number, as it is.
fn as_percent(fraction: &str) -> String {
    match Decimal::from_str(fraction.trim()).ok().and_then(|value| value.checked_mul(Decimal::ONE_HUNDRED)) {
        Some(percent) => percent.normalize().to_string(),
        None => fraction.to_string(),
    }
}

/// A percentage as typed (`1.2`, `1.2%`, `１.２％`) as the fraction the document holds (`0.012`);
/// text that is no number goes on as typed, for the document's check to refuse.
fn as_fraction(typed: &str) -> String {
    let plain = halfwidth(typed.trim());
    let number = plain.strip_suffix('%').unwrap_or(&plain).trim();
    match Decimal::from_str(number) {
        Ok(percent) => (percent / Decimal::ONE_HUNDRED).normalize().to_string(),
        Err(_) => plain,
    }
}

/// The day a version takes effect, or None for the first version, whose stored day is a stand-in
/// for "always" (1970-01-01): the page says "from the start" instead.
fn dated_from(params: &Params) -> Option<BusinessDay> {
    Some(params.effective_from()).filter(|&day| day != stored::beginning())
}

/// When a version takes effect, as the history's cell says it.
fn effective_from_text(params: &Params, t: &Text) -> String {
    dated_from(params).map_or_else(|| t.params_from_the_start.to_string(), |day| day.to_string())
}

/// The positions of the rows that are not blank: a blank row is no entry.
fn filled(rows: &[[String; 3]]) -> Vec<usize> {
    (0..rows.len()).filter(|&i| !is_blank(&rows[i])).collect()
}

/// A document as the form built it.
struct Built {
    document: ParamsDocument,
    /// Refusals the document cannot carry (a count that is not a whole number).
    errors: Vec<FieldError>,
    /// For each list, the form row of each of the document's entries.
    rows: [(&'static str, Vec<usize>); 3],
}

impl Built {
    /// A refusal of the document, named as the form names the input it came from.
    fn on_form(&self, error: FieldError) -> FieldError {
        let renamed = list_entry(&error.field).and_then(|(list, index, column)| {
            let (_, rows) = self.rows.iter().find(|(name, _)| *name == list)?;
            Some(entry_name(list, *rows.get(index)?, column))
        });
        FieldError { field: renamed.unwrap_or(error.field), message: error.message }
    }
}

impl Typed {
    /// The form filled in with `document`, rates as percentages.
    fn of(document: &ParamsDocument) -> Typed {
        let share_rate = |i: usize| document.share_rates.get(i).map(|rate| as_percent(rate)).unwrap_or_default();
        Typed {
            effective_from: document.effective_from.clone(),
            order_levels: document.order_levels.iter().map(|l| [l.name.clone(), l.min_amount.clone(), l.multiplier.clone()]).collect(),
            release_rate: as_percent(&document.release_rate),
            share_rates: [share_rate(0), share_rate(1)],
            team_tiers: document.team_tiers.iter().map(|t| [t.name.clone(), t.min_volume.clone(), as_percent(&t.rate)]).collect(),
            peer_rate: as_percent(&document.peer_rate),
            peer_generations: document.peer_generations.to_string(),
            team_max_depth: document.team_max_depth.map(|d| d.to_string()).unwrap_or_default(),
            hold_days: document.hold_days.to_string(),
            points_usage_ratio: as_percent(&document.points_usage_ratio),
            withdrawal_min: document.withdrawal_min.clone(),
            withdrawal_fee_rate: as_percent(&document.withdrawal_fee_rate),
        }
    }

    fn scalar(&mut self, name: &str) -> Option<&mut String> {
        Some(match name {
            "effective_from" => &mut self.effective_from,
            "release_rate" => &mut self.release_rate,
            "peer_rate" => &mut self.peer_rate,
            "peer_generations" => &mut self.peer_generations,
            "team_max_depth" => &mut self.team_max_depth,
            "hold_days" => &mut self.hold_days,
            "points_usage_ratio" => &mut self.points_usage_ratio,
            "withdrawal_min" => &mut self.withdrawal_min,
            "withdrawal_fee_rate" => &mut self.withdrawal_fee_rate,
            _ => return None,
        })
    }

    /// Reads the posted fields; names the form does not have (the CSRF token) are left out.
    fn read(fields: Vec<(String, String)>) -> Typed {
        let mut typed = Typed::default();
        let (mut levels, mut tiers) = (BTreeMap::new(), BTreeMap::new());
        for (name, value) in fields {
            match list_entry(&name) {
                Some(("share_rates", index @ 0..=1, "")) => typed.share_rates[index] = value,
                Some(("order_levels", index, column)) => put_cell(&mut levels, LEVEL_COLUMNS, index, column, value),
                Some(("team_tiers", index, column)) => put_cell(&mut tiers, TIER_COLUMNS, index, column, value),
                _ => {
                    if let Some(scalar) = typed.scalar(&name) {
                        *scalar = value;
                    }
                }
            }
        }
        typed.order_levels = levels.into_values().collect();
        typed.team_tiers = tiers.into_values().collect();
        typed
    }

    /// The document the form describes: values trimmed, full-width digits read, percentages as
    /// fractions, blank rows left out.
    fn document(&self, t: &Text) -> Built {
        let mut errors = Vec::new();
        let mut whole_number = |field: &str, text: &str| {
            halfwidth(text.trim())
                .parse::<i64>()
                .map_err(|_| errors.push(FieldError { field: field.into(), message: t.params_whole_number.into() }))
                .ok()
        };
        // A count that does not read is refused above; the document gets a value that passes, so
        // that every other field is still checked.
        let peer_generations = whole_number("peer_generations", &self.peer_generations).unwrap_or(0);
        let team_max_depth = match self.team_max_depth.trim() {
            "" => None,
            text => whole_number("team_max_depth", text),
        };
        // Blank holds nothing, as a document without the field does.
        let hold_days = match self.hold_days.trim() {
            "" => 0,
            text => whole_number("hold_days", text).unwrap_or(0),
        };
        let (level_rows, tier_rows) = (filled(&self.order_levels), filled(&self.team_tiers));
        let share_rows: Vec<usize> = (0..2).filter(|&i| !self.share_rates[i].trim().is_empty()).collect();
        let text = |s: &String| s.trim().to_string();
        let number = |s: &String| halfwidth(s.trim());
        let rate = |s: &String| as_fraction(s);
        let document = ParamsDocument {
            effective_from: number(&self.effective_from),
            order_levels: level_rows
                .iter()
                .map(|&i| {
                    let [name, min_amount, multiplier] = &self.order_levels[i];
                    OrderLevelDocument { name: text(name), min_amount: number(min_amount), multiplier: number(multiplier) }
                })
                .collect(),
            release_rate: rate(&self.release_rate),
            share_rates: share_rows.iter().map(|&i| rate(&self.share_rates[i])).collect(),
            team_tiers: tier_rows
                .iter()
                .map(|&i| {
                    let [name, min_volume, tier_rate] = &self.team_tiers[i];
                    TeamTierDocument { name: text(name), min_volume: number(min_volume), rate: rate(tier_rate) }
                })
                .collect(),
            peer_rate: rate(&self.peer_rate),
            peer_generations,
            team_max_depth,
            hold_days,
            points_usage_ratio: rate(&self.points_usage_ratio),
            withdrawal_min: number(&self.withdrawal_min),
            withdrawal_fee_rate: rate(&self.withdrawal_fee_rate),
        };
        Built { document, errors, rows: [("order_levels", level_rows), ("team_tiers", tier_rows), ("share_rates", share_rows)] }
    }
}

/// One input of the form with what it holds and, when refused, why.
struct Input {
    name: String,
    label: &'static str,
    value: String,
    error: Option<String>,
    /// A rate, typed as a percentage: the input is followed by `%`.
    percent: bool,
}

/// The reasons given for the fields named, joined.
fn reasons(errors: &[FieldError], fields: &[&str]) -> Option<String> {
    let found: Vec<&str> = errors.iter().filter(|e| fields.contains(&e.field.as_str())).map(|e| e.message.as_str()).collect();
    (!found.is_empty()).then(|| found.join("; "))
}

fn input(name: &str, label: &'static str, value: &str, errors: &[FieldError]) -> Input {
    Input { name: name.to_string(), label, value: value.to_string(), error: reasons(errors, &[name]), percent: is_rate(name) }
}

/// A list of the document (order levels, team tiers) as a table of inputs.
struct Rows {
    list: &'static str,
    heading: &'static str,
    labels: [&'static str; 3],
    /// A refusal of the list as a whole (how many entries).
    error: Option<String>,
    rows: Vec<Vec<Input>>,
}

fn rows(
    list: &'static str,
    heading: &'static str,
    columns: [&str; 3],
    labels: [&'static str; 3],
    typed: &[[String; 3]],
    errors: &[FieldError],
) -> Rows {
    let mut shown = typed.to_vec();
    while shown.last().is_some_and(is_blank) {
        shown.pop();
    }
    shown.extend(std::iter::repeat_with(<[String; 3]>::default).take(BLANK_ROWS));
    let rows = shown
        .iter()
        .enumerate()
        .map(|(i, row)| (0..3).map(|c| input(&entry_name(list, i, columns[c]), labels[c], &row[c], errors)).collect())
        .collect();
    Rows { list, heading, labels, error: reasons(errors, &[list]), rows }
}

struct VersionLine {
    version: i64,
    effective_from: String,
    created_at: String,
    status: VersionStatus,
    status_label: &'static str,
    created_by: String,
    approved_by: String,
    /// Who cancelled it and when, for a cancelled version.
    cancelled: Option<String>,
    previous: Option<i64>,
}

#[derive(Template)]
#[template(path = "admin/params.html")]
struct ParamsPage {
    chrome: Chrome,
    current_version: i64,
    current_from: String,
    /// The version just saved, for the notice.
    created: Option<i64>,
    /// The version just cancelled, for the notice.
    cancelled: Option<i64>,
    /// Why a cancellation was refused, above the history.
    cancel_error: Option<String>,
    /// Every refusal, by the name of its input, above the form.
    errors: Vec<FieldError>,
    effective_from: Input,
    order_levels: Rows,
    team_tiers: Rows,
    scalars: Vec<Input>,
    /// The newest first.
    history: Vec<VersionLine>,
    versions: Vec<i64>,
    compare_a: i64,
    compare_b: i64,
    /// The admin's role adds versions (the owner's); other roles see the version in force, read only.
    may_edit: bool,
}

impl ParamsPage {
    fn new(chrome: Chrome, state: &AppState, history: &ParamsHistory, typed: &Typed, errors: Vec<FieldError>) -> ParamsPage {
        let t = chrome.t;
        let today = state.today();
        let current = history.in_force(today);
        let versions: Vec<i64> = history.all().iter().rev().map(|v| v.version).collect();
        // The defaults (version 1) were put in place by the system itself.
        let by = |actor: &Option<String>| actor.as_deref().map_or_else(|| t.params_system_default.to_string(), |a| format::actor(a, t));
        let lines = history
            .all()
            .iter()
            .rev()
            .map(|v| {
                let status = api_params::status(history, v, today);
                VersionLine {
                    version: v.version,
                    effective_from: effective_from_text(&v.params, t),
                    created_at: local_time(v.created_at_ms, state.tz, false),
                    status,
                    status_label: match status {
                        VersionStatus::Past => t.params_status_past,
                        VersionStatus::InForce => t.params_in_force,
                        VersionStatus::Scheduled => t.params_status_scheduled,
                        VersionStatus::Cancelled => t.params_status_cancelled,
                    },
                    created_by: by(&v.created_by),
                    approved_by: by(&v.approved_by),
                    cancelled: v
                        .cancelled
                        .as_ref()
                        .map(|c| format!("{} · {}", format::actor(&c.by, t), local_time(c.at_ms, state.tz, false))),
                    previous: history.versions().iter().rev().map(|p| p.version).find(|p| *p < v.version),
                }
            })
            .collect();
        let e = &errors;
        let scalars = vec![
            input("release_rate", t.param_release_rate, &typed.release_rate, e),
            Input {
                error: reasons(e, &["share_rates[0]", "share_rates"]),
                ..input("share_rates[0]", t.param_share_rate_1, &typed.share_rates[0], e)
            },
            input("share_rates[1]", t.param_share_rate_2, &typed.share_rates[1], e),
            input("peer_rate", t.param_peer_rate, &typed.peer_rate, e),
            input("peer_generations", t.param_peer_generations, &typed.peer_generations, e),
            input("team_max_depth", t.param_team_max_depth, &typed.team_max_depth, e),
            input("hold_days", t.param_hold_days, &typed.hold_days, e),
            input("points_usage_ratio", t.param_points_usage_ratio, &typed.points_usage_ratio, e),
            input("withdrawal_min", t.param_withdrawal_min, &typed.withdrawal_min, e),
            input("withdrawal_fee_rate", t.param_withdrawal_fee_rate, &typed.withdrawal_fee_rate, e),
        ];
        ParamsPage {
            current_version: current.version,
            current_from: dated_from(&current.params)
                .map_or_else(|| t.params_from_the_start.to_string(), |day| format!("{} {day}", t.effective_from)),
            created: None,
            cancelled: None,
            cancel_error: None,
            effective_from: input("effective_from", t.effective_from, &typed.effective_from, e),
            order_levels: rows(
                "order_levels",
                t.param_order_levels,
                LEVEL_COLUMNS,
                [t.param_name, t.param_min_amount, t.param_multiplier],
                &typed.order_levels,
                e,
            ),
            team_tiers: rows(
                "team_tiers",
                t.param_team_tiers,
                TIER_COLUMNS,
                [t.param_name, t.param_min_volume, t.rate],
                &typed.team_tiers,
                e,
            ),
            scalars,
            history: lines,
            compare_a: versions.get(1).or(versions.first()).copied().unwrap_or(1),
            compare_b: versions.first().copied().unwrap_or(1),
            versions,
            errors,
            chrome,
            may_edit: false,
        }
    }
}

/// The first day a new version can take effect: tomorrow (orders paid today were granted with
/// today's version), and after the last settled day.
async fn next_allowed_day(state: &AppState) -> GraphResult<BusinessDay> {
    let tomorrow = state.today().succ();
    let after_settled = settlements::days::last_settled_day(&state.graph).await?.map(BusinessDay::succ);
    Ok(after_settled.map_or(tomorrow, |day| day.max(tomorrow)))
}

/// The form as the page first shows it: to an editor, a new version from the first day one may
/// take effect; read only, the version in force.
async fn form_of(state: &AppState, history: &ParamsHistory, may_edit: bool) -> GraphResult<Typed> {
    let mut document = ParamsDocument::from(&history.in_force(state.today()).params);
    if may_edit {
        document.effective_from = next_allowed_day(state).await?.to_string();
    }
    Ok(Typed::of(&document))
}

#[derive(Deserialize)]
struct PageQuery {
    created: Option<String>,
    cancelled: Option<String>,
}

async fn page(state: web::Data<AppState>, admin: Admin, req: HttpRequest, query: web::Query<PageQuery>) -> PageResult {
    let history = stored::history(&state.graph).await.map_err(|e| admin.refused(e))?;
    let may_edit = admin.may(Permission::EditParams);
    let typed = form_of(&state, &history, may_edit).await.map_err(|e| admin.refused(e))?;
    let mut page = ParamsPage::new(Chrome::of(&admin, "params", &req), &state, &history, &typed, Vec::new());
    page.may_edit = may_edit;
    page.created = query.created.as_deref().and_then(|v| v.parse().ok());
    page.cancelled = query.cancelled.as_deref().and_then(|v| v.parse().ok());
    html(StatusCode::OK, &page)
}

#[derive(Deserialize)]
struct CancelFields {
    /// The box "cancel this version" ticked; the browser asks for it, and so does the server.
    #[serde(default)]
    confirm: Option<String>,
}

/// Cancels a version that has not taken effect, as `POST /api/v1/params/{version}/cancel` does;
/// a refusal shows the page again with the reason above the history.
async fn cancel(state: web::Data<AppState>, req: HttpRequest, path: web::Path<String>, form: AdminForm<CancelFields>) -> PageResult {
    let admin = form.signed_in;
    admin.require(Permission::EditParams)?;
    let t = admin.t();
    let not_found = || admin.refused(ApiError::refused(ErrorCode::ParamsVersionNotFound, "no parameter version has this number"));
    let version: i64 = path.trim().parse().map_err(|_| not_found())?;
    let (state, admin, req) = (&state, &admin, &req);
    let refuse = |reason: String| async move {
        let history = stored::history(&state.graph).await.map_err(|e| admin.refused(e))?;
        let typed = form_of(state, &history, true).await.map_err(|e| admin.refused(e))?;
        let chrome = Chrome::of(admin, "params", req);
        let page =
            ParamsPage { may_edit: true, cancel_error: Some(reason), ..ParamsPage::new(chrome, state, &history, &typed, Vec::new()) };
        html(StatusCode::CONFLICT, &page)
    };
    if form.fields.confirm.as_deref().is_none_or(str::is_empty) {
        return refuse(format!("v{version}: {}", t.params_cancel_unconfirmed)).await;
    }
    match app::params::cancel(state, &admin.actor(), version).await {
        Ok(()) => Ok(see_other(&format!("/admin/params?cancelled={version}"))),
        Err(error) if error.refusal() == Some(ErrorCode::ParamsVersionInForce) => {
            refuse(format!("v{version}: {}", t.params_cancel_in_force)).await
        }
        Err(error) => Err(admin.refused(error)),
    }
}

/// Saves the form as a new version, as `PUT /api/v1/params` does; a refusal shows the form again
/// as typed, with the reasons next to the fields.
async fn create(state: web::Data<AppState>, req: HttpRequest, form: AdminForm<Vec<(String, String)>>) -> PageResult {
    let admin = form.signed_in;
    admin.require(Permission::EditParams)?;
    let t = admin.t();
    let typed = Typed::read(form.fields);
    let history = stored::history(&state.graph).await.map_err(|e| admin.refused(e))?;
    let refuse = |errors: Vec<FieldError>| {
        let page = ParamsPage { may_edit: true, ..ParamsPage::new(Chrome::of(&admin, "params", &req), &state, &history, &typed, errors) };
        html(StatusCode::UNPROCESSABLE_ENTITY, &page)
    };
    let built = typed.document(t);
    let mut errors = built.errors.clone();
    let params = match Params::parse(built.document.clone()) {
        Ok(params) if errors.is_empty() => params,
        Ok(_) => return refuse(errors),
        Err(refused) => {
            let said = |e: params::FieldError| FieldError { message: reason(&e.field, &e.reason, t), field: e.field };
            errors.extend(refused.errors.into_iter().map(|e| built.on_form(said(e))));
            return refuse(errors);
        }
    };
    let on_effective_from = |message: String| vec![FieldError { field: "effective_from".into(), message }];
    let actor = admin.actor();
    let version = match app::params::create(&state, &actor, params).await {
        Ok(version) => version,
        Err(error) if error.refusal() == Some(ErrorCode::EffectiveFromSettled) => {
            let fenced = crate::graph::fence::read(&state.graph).await.map_err(|e| admin.refused(e))?.fenced;
            let settled = fenced.map(|day| day.to_string()).unwrap_or_default();
            return refuse(on_effective_from(format!("{}{settled}", t.effective_from_settled)));
        }
        Err(error) if error.refusal() == Some(ErrorCode::EffectiveFromHasOrders) => {
            return refuse(on_effective_from(t.effective_from_has_orders.into()));
        }
        Err(error) => return Err(admin.refused(error)),
    };
    Ok(see_other(&format!("/admin/params?created={version}")))
}

/// Why the value of the field at `path` is refused, in the reader's language (a rate's previous
/// entry as a percentage, as the form shows it).
fn reason(path: &str, reason: &Reason, t: &Text) -> String {
    match reason {
        Reason::Shape => t.params_shape.to_string(),
        Reason::NotADay => t.params_not_a_day.to_string(),
        Reason::NotARate => t.params_not_a_rate.to_string(),
        Reason::NotAnAmount => t.params_not_an_amount.to_string(),
        Reason::NotAMultiplier => t.params_not_a_multiplier.to_string(),
        Reason::AboveZero => t.params_above_zero.to_string(),
        Reason::BelowOne => t.params_below_one.to_string(),
        Reason::Entries { min, max } => format!("{}{min}–{max}{}", t.params_entries_before, t.params_entries_after),
        Reason::Integer { min, max } => format!("{}{min}–{max}{}", t.params_integer_before, t.params_integer_after),
        Reason::Name { max } => format!("{}{max}{}", t.params_name_before, t.params_name_after),
        Reason::AbovePrevious(previous) => {
            let previous = if is_rate(path) { format!("{}%", as_percent(previous)) } else { previous.clone() };
            format!("{}{previous}{}", t.params_above_previous_before, t.params_above_previous_after)
        }
    }
}

/// A field whose value differs between two versions.
struct Difference {
    field: String,
    a: String,
    b: String,
}

/// Where a value sits in a document: (field, entry, column), so that the values of two documents
/// whose lists differ in length line up in the document's order.
type Place = (usize, usize, usize);

/// A field of the parameter document by its path (`team_tiers[2].rate`), in the reader's words
/// (`团队级别 3 · 比例`); a path this version does not know, as it is.
pub(super) fn field_label(path: &str, t: &'static Text) -> String {
    let scalar = match path {
        "effective_from" => Some(t.effective_from),
        "release_rate" => Some(t.param_release_rate),
        "peer_rate" => Some(t.param_peer_rate),
        "peer_generations" => Some(t.param_peer_generations),
        "team_max_depth" => Some(t.param_team_max_depth),
        "hold_days" => Some(t.param_hold_days),
        "points_usage_ratio" => Some(t.param_points_usage_ratio),
        "withdrawal_min" => Some(t.param_withdrawal_min),
        "withdrawal_fee_rate" => Some(t.param_withdrawal_fee_rate),
        _ => None,
    };
    if let Some(label) = scalar {
        return label.to_string();
    }
    fn column<'t>(columns: [&str; 3], labels: [&'t str; 3], column: &str) -> Option<&'t str> {
        columns.iter().position(|c| *c == column).map(|c| labels[c])
    }
    let entry = match list_entry(path) {
        Some(("order_levels", i, name)) => column(LEVEL_COLUMNS, [t.param_name, t.param_min_amount, t.param_multiplier], name)
            .map(|label| format!("{} {} · {label}", t.order_level, i + 1)),
        Some(("team_tiers", i, name)) => column(TIER_COLUMNS, [t.param_name, t.param_min_volume, t.rate], name)
            .map(|label| format!("{} {} · {label}", t.team_tier, i + 1)),
        Some(("share_rates", i, "")) => Some(match [t.kind_share_g1, t.kind_share_g2].get(i) {
            Some(generation) => format!("{generation} · {}", t.rate),
            None => format!("{} {}", t.share_rate, i + 1),
        }),
        _ => None,
    };
    entry.unwrap_or_else(|| path.to_string())
}

/// Every value of a document by its place, with its field's label ([`field_label`]).
fn values(document: &ParamsDocument, t: &'static Text) -> BTreeMap<Place, (String, String)> {
    let mut values = BTreeMap::new();
    let scalars = [
        (0, "effective_from", document.effective_from.clone()),
        (2, "release_rate", document.release_rate.clone()),
        (5, "peer_rate", document.peer_rate.clone()),
        (6, "peer_generations", document.peer_generations.to_string()),
        (7, "team_max_depth", document.team_max_depth.map_or_else(|| t.param_unlimited.to_string(), |d| d.to_string())),
        (8, "hold_days", document.hold_days.to_string()),
        (9, "points_usage_ratio", document.points_usage_ratio.clone()),
        (10, "withdrawal_min", document.withdrawal_min.clone()),
        (11, "withdrawal_fee_rate", document.withdrawal_fee_rate.clone()),
    ];
    // Rates as the form shows them, percentages.
    let shown = |path: &str, value: &String| if is_rate(path) { format!("{}%", as_percent(value)) } else { value.clone() };
    for (field, path, value) in scalars {
        values.insert((field, 0, 0), (field_label(path, t), shown(path, &value)));
    }
    for (i, level) in document.order_levels.iter().enumerate() {
        for (c, value) in [&level.name, &level.min_amount, &level.multiplier].into_iter().enumerate() {
            values.insert((1, i, c), (field_label(&entry_name("order_levels", i, LEVEL_COLUMNS[c]), t), value.clone()));
        }
    }
    for (i, rate) in document.share_rates.iter().enumerate() {
        let path = entry_name("share_rates", i, "");
        values.insert((3, i, 0), (field_label(&path, t), shown(&path, rate)));
    }
    for (i, tier) in document.team_tiers.iter().enumerate() {
        for (c, value) in [&tier.name, &tier.min_volume, &tier.rate].into_iter().enumerate() {
            let path = entry_name("team_tiers", i, TIER_COLUMNS[c]);
            values.insert((4, i, c), (field_label(&path, t), shown(&path, value)));
        }
    }
    values
}

/// The fields whose values differ, in the document's order; an entry only one side has shows as "—".
fn differences(a: &ParamsDocument, b: &ParamsDocument, t: &'static Text) -> Vec<Difference> {
    let (a, b) = (values(a, t), values(b, t));
    let places: BTreeSet<&Place> = a.keys().chain(b.keys()).collect();
    places
        .into_iter()
        .filter_map(|place| {
            let (in_a, in_b) = (a.get(place), b.get(place));
            let (field, _) = in_a.or(in_b)?;
            let value = |side: Option<&(String, String)>| side.map_or_else(|| "—".to_string(), |(_, v)| v.clone());
            (in_a.map(|(_, v)| v) != in_b.map(|(_, v)| v)).then(|| Difference { field: field.clone(), a: value(in_a), b: value(in_b) })
        })
        .collect()
}

#[derive(Template)]
#[template(path = "admin/params_diff.html")]
struct DiffPage {
    chrome: Chrome,
    versions: Vec<i64>,
    compare_a: i64,
    compare_b: i64,
    differences: Vec<Difference>,
}

#[derive(Deserialize)]
struct DiffQuery {
    a: Option<String>,
    b: Option<String>,
}

async fn diff(state: web::Data<AppState>, admin: Admin, req: HttpRequest, query: web::Query<DiffQuery>) -> PageResult {
    let history = stored::history(&state.graph).await.map_err(|e| admin.refused(e))?;
    let versions = history.all();
    // Both default to the newest version; a number no version has is not found.
    let find = |wanted: &Option<String>| match wanted.as_deref().map(str::trim) {
        None | Some("") => versions.last(),
        Some(number) => versions.iter().find(|v| v.version.to_string() == number),
    };
    let (Some(a), Some(b)) = (find(&query.a), find(&query.b)) else {
        return Err(admin.refused(ApiError::refused(ErrorCode::ParamsVersionNotFound, "no parameter version has this number")));
    };
    let differences = differences(&ParamsDocument::from(&a.params), &ParamsDocument::from(&b.params), admin.t());
    let page = DiffPage {
        chrome: Chrome::of(&admin, "params", &req),
        versions: versions.iter().rev().map(|v| v.version).collect(),
        compare_a: a.version,
        compare_b: b.version,
        differences,
    };
    html(StatusCode::OK, &page)
}
