//! The member's withdrawals: the request form and the member's own list. The form carries an
//! idempotency key made when the form is shown, so a double submit makes one withdrawal; the rule
//! is the API's (`api::withdrawals::create`). A refusal is shown next to the amount, nothing changed.
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, ResponseError, web};
use askama::Template;
use serde::Deserialize;

use super::{Member, MemberChrome, MemberForm};
use crate::domain::money::Money;
use crate::graph::withdrawals;
use crate::http::AppState;
use crate::http::api::ParamsInForce;
use crate::http::api::withdrawals::WithdrawalPosition;
use crate::http::error::ApiError;
use crate::http::pages::format::{filters, local_time, yuan};
use crate::http::pages::{PageResult, html, see_other};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/withdrawals", web::get().to(page)).route("/withdrawals", web::post().to(request));
}

const PAGE: i64 = 20;

pub struct Line {
    created_at: String,
    amount_fen: i64,
    fee_fen: i64,
    net_fen: i64,
    status: &'static str,
    status_key: String,
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

#[derive(Template)]
#[template(path = "member/withdrawals.html")]
struct WithdrawalsPage {
    chrome: MemberChrome,
    available_fen: i64,
    minimum: Money,
    form: Form,
    done: bool,
    lines: Vec<Line>,
    older: Option<String>,
    newest: bool,
}

#[derive(Deserialize)]
pub struct ListQuery {
    done: Option<String>,
    cursor: Option<String>,
}

async fn render(
    state: &AppState,
    member: &Member,
    req: &HttpRequest,
    status: StatusCode,
    form: Form,
    done: bool,
    cursor: Option<&str>,
) -> PageResult {
    let t = member.t();
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
        })
        .collect();
    let page = WithdrawalsPage {
        chrome: MemberChrome::of(member, "withdrawals", req),
        available_fen: summary.available_fen,
        minimum: params.withdrawal_min(),
        form,
        done,
        lines,
        older,
        newest,
    };
    html(status, &page)
}

async fn page(state: web::Data<AppState>, member: Member, req: HttpRequest, query: web::Query<ListQuery>) -> PageResult {
    render(&state, &member, &req, StatusCode::OK, Form::fresh(), query.done.is_some(), query.cursor.as_deref()).await
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
        Ok(_) => Ok(see_other("/withdrawals?done=1")),
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
            render(&state, &member, &req, StatusCode::UNPROCESSABLE_ENTITY, form, false, None).await
        }
    }
}
