//! The member's withdrawals: the request form and the member's own list. The form carries an
//! idempotency key made when the form is shown, so a double submit makes one withdrawal; the rule
//! is the API's (`api::withdrawals::create`). A refusal is shown next to the amount, nothing changed.
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, ResponseError, web};
use askama::Template;
use serde::Deserialize;

use super::{Member, MemberChrome, MemberForm};
use crate::app::payout_accounts;
use crate::domain::money::Money;
use crate::domain::payout_account::PayoutAccount;
use crate::graph::withdrawals;
use crate::http::AppState;
use crate::http::api::ParamsInForce;
use crate::http::api::withdrawals::WithdrawalPosition;
use crate::http::client::client_address;
use crate::http::error::ApiError;
use crate::http::pages::format::{filters, local_time, payout_account, yuan};
use crate::http::pages::{PageResult, html, see_other};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/withdrawals", web::get().to(page))
        .route("/withdrawals", web::post().to(request))
        .route("/withdrawals/account", web::post().to(set_account));
}

const PAGE: i64 = 20;

pub struct Line {
    created_at: String,
    amount_fen: i64,
    fee_fen: i64,
    net_fen: i64,
    status: &'static str,
    status_key: String,
    account: String,
    reject_reason: String,
}

/// The form as shown: the key of this request, and after a refusal the amount typed and why.
pub struct Form {
    key: String,
    amount: String,
    code: String,
    reason: String,
}

impl Form {
    fn fresh() -> Form {
        Form { key: uuid::Uuid::new_v4().to_string(), amount: String::new(), code: String::new(), reason: String::new() }
    }
}

/// The payout account form as shown: after a refusal, what was typed (never the password) and why.
#[derive(Default)]
pub struct AccountForm {
    kind: String,
    real_name: String,
    bank: String,
    number: String,
    code: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "member/withdrawals.html")]
struct WithdrawalsPage {
    chrome: MemberChrome,
    available_fen: i64,
    minimum: Money,
    /// The payout account, masked (`None` until one is set: no request form then).
    account: Option<String>,
    account_form: AccountForm,
    form: Form,
    /// What just happened: `withdrawal` asked for, `account` saved.
    done: Option<&'static str>,
    lines: Vec<Line>,
    older: Option<String>,
    newest: bool,
}

#[derive(Deserialize)]
pub struct ListQuery {
    done: Option<String>,
    cursor: Option<String>,
}

/// What a `done` query names, as the page knows it.
fn done(asked: Option<&str>) -> Option<&'static str> {
    match asked {
        Some("account") => Some("account"),
        Some(_) => Some("withdrawal"),
        None => None,
    }
}

/// The page as rendered: its status, the two forms as they are, and what just happened.
struct Shown<'a> {
    status: StatusCode,
    form: Form,
    account_form: AccountForm,
    done: Option<&'static str>,
    cursor: Option<&'a str>,
}

async fn render(state: &AppState, member: &Member, req: &HttpRequest, shown: Shown<'_>) -> PageResult {
    let Shown { status, form, account_form, done, cursor } = shown;
    let t = member.t();
    let account = payout_accounts::masked_of(state, &member.phone).await.map_err(|e| member.refused(e))?;
    let params = ParamsInForce::today(state).await.map_err(|e| member.refused(e))?;
    let summary = crate::graph::members::summary(&state.graph, &member.phone, &[])
        .await
        .map_err(|e| member.refused(e))?
        .ok_or_else(|| member.refused(crate::app::AppError::member_not_found()))?;
    // A cursor this server did not give shows the first page.
    let after = WithdrawalPosition::after(cursor).ok().flatten();
    let newest = after.is_some();
    let mut rows = withdrawals::of_member(&state.graph, member.phone.as_str(), after, PAGE + 1).await.map_err(|e| member.refused(e))?;
    let older = WithdrawalPosition::next_cursor(&mut rows, PAGE).map(|cursor| format!("/withdrawals?cursor={cursor}"));
    let lines = rows
        .into_iter()
        .map(|r| Line {
            created_at: local_time(r.created_at_ms, state.tz, false),
            amount_fen: r.amount_fen,
            fee_fen: r.fee_fen,
            net_fen: r.amount_fen - r.fee_fen,
            status: match r.status.as_str() {
                "requested" => t.status_requested,
                "approved" => t.status_approved,
                "paid" => t.status_paid,
                "rejected" => t.status_rejected,
                _ => "-",
            },
            status_key: r.status.to_string(),
            account: payout_account(payout_accounts::masked(r.account_masked.as_deref()).as_ref(), t),
            reject_reason: r.reject_reason.unwrap_or_default(),
        })
        .collect();
    let page = WithdrawalsPage {
        chrome: MemberChrome::of(member, "withdrawals", req),
        available_fen: summary.available_fen,
        minimum: params.withdrawal_min(),
        account: account.as_ref().map(|a| payout_account(Some(a), t)),
        account_form,
        form,
        done,
        lines,
        older,
        newest,
    };
    html(status, &page)
}

async fn page(state: web::Data<AppState>, member: Member, req: HttpRequest, query: web::Query<ListQuery>) -> PageResult {
    let shown = Shown {
        status: StatusCode::OK,
        form: Form::fresh(),
        account_form: AccountForm::default(),
        done: done(query.done.as_deref()),
        cursor: query.cursor.as_deref(),
    };
    render(&state, &member, &req, shown).await
}

#[derive(Deserialize)]
pub struct RequestFields {
    amount: String,
    idempotency_key: String,
}

/// Why a request was refused, in the member's words, for the amount field.
fn reason(member: &Member, error: &ApiError, minimum: &str) -> String {
    let t = member.t();
    match error.code().as_str() {
        "below_withdrawal_min" => format!("{} {minimum}", t.me_withdraw_below_min),
        "invalid_amount" | "amount_negative" | "amount_not_positive" | "amount_zero" | "too_many_decimals" | "amount_too_large" => {
            t.me_withdraw_bad_amount.to_string()
        }
        "idempotency_key_conflict" => t.me_withdraw_key_conflict.to_string(),
        _ => member.reason(error),
    }
}

async fn request(state: web::Data<AppState>, req: HttpRequest, form: MemberForm<RequestFields>) -> PageResult {
    let MemberForm { signed_in: member, fields } = form;
    let requested = async {
        let amount = crate::domain::money::Money::parse_positive(fields.amount.trim())?;
        let actor = member.actor();
        crate::app::withdrawals::request(&state, &actor, &member.phone, amount, &fields.idempotency_key).await
    }
    .await
    .map_err(ApiError::from);
    match requested {
        Ok(_) => Ok(see_other("/withdrawals?done=withdrawal")),
        Err(error) if error.status_code().is_server_error() => Err(member.refused(error)),
        Err(error) => {
            let params = ParamsInForce::today(&state).await.map_err(|e| member.refused(e))?;
            let minimum = yuan(params.withdrawal_min().fen());
            // A refused request created nothing, so its key can be sent again with a corrected
            // amount; a key already used for another amount cannot, so the form gets a new one.
            let key = if error.code() == "idempotency_key_conflict" || error.code() == "invalid_idempotency_key" {
                uuid::Uuid::new_v4().to_string()
            } else {
                fields.idempotency_key.clone()
            };
            let form =
                Form { key, amount: fields.amount.clone(), code: error.code().to_string(), reason: reason(&member, &error, &minimum) };
            let shown =
                Shown { status: StatusCode::UNPROCESSABLE_ENTITY, form, account_form: AccountForm::default(), done: None, cursor: None };
            render(&state, &member, &req, shown).await
        }
    }
}

#[derive(Deserialize)]
pub struct AccountFields {
    kind: String,
    real_name: String,
    #[serde(default)]
    bank: String,
    number: String,
    password: String,
}

/// Sets the member's payout account, with its password; a refusal shows the form again with
/// what was typed (but the password) and why.
async fn set_account(state: web::Data<AppState>, req: HttpRequest, form: MemberForm<AccountFields>) -> PageResult {
    let MemberForm { signed_in: member, fields } = form;
    let saved = async {
        let account = PayoutAccount::parse(&fields.kind, &fields.real_name, &fields.bank, &fields.number)?;
        payout_accounts::set_own(&state, &member.phone, &fields.password, &account, client_address(&req)).await
    }
    .await
    .map_err(ApiError::from);
    match saved {
        Ok(_) => Ok(see_other("/withdrawals?done=account")),
        Err(error) if error.status_code().is_server_error() => Err(member.refused(error)),
        Err(error) => {
            let account_form = AccountForm {
                kind: fields.kind.clone(),
                real_name: fields.real_name.clone(),
                bank: fields.bank.clone(),
                number: fields.number.clone(),
                code: error.code().to_string(),
                reason: member.reason(&error),
            };
            let status = StatusCode::from_u16(error.code().status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            let shown = Shown { status, form: Form::fresh(), account_form, done: None, cursor: None };
            render(&state, &member, &req, shown).await
        }
    }
}
