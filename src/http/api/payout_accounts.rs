//! Payout accounts: set and read, by the mall for its member or by the member itself (with its
//! password); always answered masked.
use actix_web::{HttpRequest, HttpResponse, get, put, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::me::Me;
use crate::app::payout_accounts;
use crate::domain::error_code::ErrorCode;
use crate::domain::payout_account::{AccountKind, Masked, PayoutAccount};
use crate::domain::phone::Phone;
use crate::domain::scope::Scope;
use crate::http::AppState;
use crate::http::auth::ApiClient;
use crate::http::client::client_address;
use crate::http::error::ApiError;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayoutAccountBody {
    /// `bank_card` or `alipay`.
    #[schema(example = "bank_card")]
    kind: String,
    /// The account holder's real name, which must be the member's own.
    #[schema(example = "张三")]
    real_name: String,
    /// The bank's name (bank cards only).
    #[schema(example = "中国工商银行")]
    bank: Option<String>,
    /// The card number (12 to 19 digits passing the Luhn check; spaces allowed) or the Alipay
    /// account (a mobile number or an e-mail address).
    #[schema(example = "6222021234567890128")]
    number: String,
}

impl PayoutAccountBody {
    fn parse(&self) -> Result<PayoutAccount, ApiError> {
        Ok(PayoutAccount::parse(&self.kind, &self.real_name, self.bank.as_deref().unwrap_or(""), &self.number)?)
    }
}

/// A payout account as it is shown: the name with all but its first character hidden, the
/// number's last four digits.
#[derive(Serialize, ToSchema)]
pub struct PayoutAccountView {
    /// `bank_card` or `alipay`.
    kind: &'static str,
    #[schema(example = "张*")]
    name: String,
    /// The bank (bank cards only).
    bank: Option<String>,
    #[schema(example = "···· 0128")]
    number: String,
}

impl From<Masked> for PayoutAccountView {
    fn from(masked: Masked) -> Self {
        PayoutAccountView {
            kind: masked.kind.as_str(),
            name: masked.name,
            bank: (masked.kind == AccountKind::BankCard).then_some(masked.bank),
            number: masked.number,
        }
    }
}

fn not_set() -> ApiError {
    ApiError::refused(ErrorCode::PayoutAccountNotFound, "no payout account has been set")
}

/// Set a member's payout account (replacing the one before; withdrawals asked for already keep
/// theirs). The account is stored sealed; the answer shows it masked.
#[utoipa::path(
    tag = "members", params(("phone" = String, Path)), request_body = PayoutAccountBody,
    responses((status = 200, body = PayoutAccountView), (status = 404, description = "member_not_found"),
              (status = 503, description = "payout_key_missing: the server has no GREENPOINTS_PAYOUT_KEY, or database_unavailable")),
    security(("bearer" = ["members:write"]))
)]
#[put("/members/{phone}/payout-account")]
pub async fn set(
    state: web::Data<AppState>,
    client: ApiClient,
    path: web::Path<String>,
    body: web::Json<PayoutAccountBody>,
) -> Result<HttpResponse, ApiError> {
    client.require(Scope::MembersWrite)?;
    let phone = Phone::parse(&path)?;
    let masked = payout_accounts::set(&state, &client.actor(), &phone, &body.parse()?).await?;
    Ok(HttpResponse::Ok().json(PayoutAccountView::from(masked)))
}

/// A member's payout account, masked.
#[utoipa::path(
    tag = "members", params(("phone" = String, Path)),
    responses((status = 200, body = PayoutAccountView), (status = 404, description = "member_not_found, payout_account_not_found")),
    security(("bearer" = ["members:read"]))
)]
#[get("/members/{phone}/payout-account")]
pub async fn get(state: web::Data<AppState>, client: ApiClient, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    client.require(Scope::MembersRead)?;
    let phone = Phone::parse(&path)?;
    let masked = payout_accounts::masked_of(&state, &phone).await?.ok_or_else(not_set)?;
    Ok(HttpResponse::Ok().json(PayoutAccountView::from(masked)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MyPayoutAccountBody {
    /// `bank_card` or `alipay`.
    kind: String,
    real_name: String,
    /// The bank's name (bank cards only).
    bank: Option<String>,
    /// The card number or the Alipay account, as for `PUT /members/{phone}/payout-account`.
    number: String,
    /// The member's password, asked again: a session left open must not redirect its money.
    password: String,
}

/// Set the logged-in member's payout account, with its password (checked and throttled as a login).
#[utoipa::path(
    tag = "me", request_body = MyPayoutAccountBody,
    responses((status = 200, body = PayoutAccountView), (status = 401, description = "unauthorized, invalid_credentials: the password is wrong"),
              (status = 429, description = "too_many_requests: too many wrong passwords"),
              (status = 503, description = "payout_key_missing, database_unavailable")),
    security(("member_session" = []))
)]
#[put("/me/payout-account")]
pub async fn set_mine(
    state: web::Data<AppState>,
    me: Me,
    req: HttpRequest,
    body: web::Json<MyPayoutAccountBody>,
) -> Result<HttpResponse, ApiError> {
    let account = PayoutAccount::parse(&body.kind, &body.real_name, body.bank.as_deref().unwrap_or(""), &body.number)?;
    let masked = payout_accounts::set_own(&state, &me.phone, &body.password, &account, client_address(&req)).await?;
    Ok(HttpResponse::Ok().json(PayoutAccountView::from(masked)))
}

/// The logged-in member's payout account, masked.
#[utoipa::path(
    tag = "me",
    responses((status = 200, body = PayoutAccountView), (status = 401, description = "unauthorized: no member session"),
              (status = 404, description = "payout_account_not_found")),
    security(("member_session" = []))
)]
#[get("/me/payout-account")]
pub async fn mine(state: web::Data<AppState>, me: Me) -> Result<HttpResponse, ApiError> {
    let masked = payout_accounts::masked_of(&state, &me.phone).await?.ok_or_else(not_set)?;
    Ok(HttpResponse::Ok().json(PayoutAccountView::from(masked)))
}
