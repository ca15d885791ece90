//! Member login and password reset, `/api/v1/auth/…` (the rules are `app::auth`'s, shared with
//! the member pages).
//!
//! Nothing here answers differently for a phone that is not registered: a login with an unknown
//! phone spends the time of a password check and answers `invalid_credentials`; an SMS code
//! request answers 202 (or 429 under the same per-phone limits); a reset answers `invalid_code`.
use actix_web::cookie::Cookie;
use actix_web::{FromRequest, HttpRequest, HttpResponse, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::me::Me;
use crate::app::auth;
use crate::app::sms::Purpose;
use crate::domain::audit::Via;
use crate::domain::error_code::ErrorCode;
use crate::domain::phone::Phone;
use crate::http::error::ApiError;
use crate::http::session::{self, Kind};
use crate::http::{AppState, client_address};

/// Opens a new member session (a new id at every login) and ends the one the request carried, if any.
pub(crate) async fn open_session(state: &AppState, req: &HttpRequest, phone: &Phone) -> Result<Cookie<'static>, ApiError> {
    let now = state.now();
    if let Some(old) = session::current(&state.graph, req, Kind::Member, now).await? {
        session::close(&state.graph, Kind::Member, &old).await?;
    }
    Ok(session::open(&state.graph, Kind::Member, phone.as_str(), now).await?)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    #[schema(example = "13800000001")]
    phone: String,
    password: String,
}

/// Who is logged in.
#[derive(Serialize, ToSchema)]
pub struct LoggedIn {
    #[schema(example = "13800000001")]
    phone: String,
}

/// Log a member in: opens a session carried by the `gp_member` cookie (`HttpOnly; SameSite=Strict`),
/// which the `/api/v1/me…` endpoints and the member pages accept. Throttled per phone and per address.
#[utoipa::path(
    tag = "auth", request_body = LoginBody,
    responses((status = 200, body = LoggedIn, description = "logged in; Set-Cookie: gp_member=…"),
              (status = 400, body = crate::http::error::ErrorBody, description = "invalid_phone, invalid_body"),
              (status = 401, body = crate::http::error::ErrorBody, description = "invalid_credentials"),
              (status = 429, body = crate::http::error::ErrorBody, description = "too_many_requests"))
)]
#[post("/auth/login")]
pub async fn login(state: web::Data<AppState>, req: HttpRequest, body: web::Json<LoginBody>) -> Result<HttpResponse, ApiError> {
    let phone = Phone::parse(&body.phone)?;
    auth::member_login(&state, &phone, &body.password, client_address(&req)).await?;
    let cookie = open_session(&state, &req, &phone).await?;
    Ok(HttpResponse::Ok().cookie(cookie).json(LoggedIn { phone: phone.to_string() }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeLoginBody {
    #[schema(example = "13800000001")]
    phone: String,
    /// The 6 digits of a `login` code (`POST /api/v1/auth/sms-code` with `"purpose": "login"`).
    #[schema(example = "123456")]
    code: String,
}

/// Log a member in with a `login` code sent by SMS instead of the password (验证码登录), also the
/// way in of a member the mall created without a password. The session is the one of
/// `/auth/login`. A wrong, expired, used or replaced code, the sixth try of a code and a phone
/// that is no member's all answer `invalid_code`.
#[utoipa::path(
    tag = "auth", request_body = CodeLoginBody,
    responses((status = 200, body = LoggedIn, description = "logged in; Set-Cookie: gp_member=…"),
              (status = 400, body = crate::http::error::ErrorBody, description = "invalid_phone, invalid_body"),
              (status = 422, body = crate::http::error::ErrorBody, description = "invalid_code"))
)]
#[post("/auth/login-by-code")]
pub async fn login_by_code(state: web::Data<AppState>, req: HttpRequest, body: web::Json<CodeLoginBody>) -> Result<HttpResponse, ApiError> {
    let phone = Phone::parse(&body.phone)?;
    auth::member_login_by_code(&state, &phone, &body.code, client_address(&req)).await?;
    let cookie = open_session(&state, &req, &phone).await?;
    Ok(HttpResponse::Ok().cookie(cookie).json(LoggedIn { phone: phone.to_string() }))
}

/// End the member session the request carries (if any) and clear its cookie.
#[utoipa::path(tag = "auth", responses((status = 204, description = "logged out")))]
#[post("/auth/logout")]
pub async fn logout(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    if let Some(current) = session::current(&state.graph, &req, Kind::Member, state.now()).await? {
        session::close(&state.graph, Kind::Member, &current).await?;
    }
    Ok(HttpResponse::NoContent().cookie(session::removal(Kind::Member.cookie_name())).finish())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SmsCodeBody {
    #[schema(example = "13800000001")]
    phone: String,
    /// `reset` (forgotten password), `login` (log in with the code, `/auth/login-by-code`) or
    /// `change` (a logged-in member's own phone only).
    #[schema(example = "reset")]
    purpose: String,
}

/// Send a 6-digit code by SMS, valid 10 minutes. The answer is the same whether or not the phone
/// is registered (an unregistered phone gets no message but counts against the same limits): at
/// most one code a minute and 10 in 24 hours per phone, 20 an hour per client address.
#[utoipa::path(
    tag = "auth", request_body = SmsCodeBody,
    responses((status = 202, description = "accepted; a code is on its way if the phone is registered"),
              (status = 400, body = crate::http::error::ErrorBody, description = "invalid_phone, invalid_purpose"),
              (status = 401, body = crate::http::error::ErrorBody, description = "unauthorized: `change` needs the member's own session"),
              (status = 429, body = crate::http::error::ErrorBody, description = "too_many_requests"))
)]
#[post("/auth/sms-code")]
pub async fn sms_code(state: web::Data<AppState>, req: HttpRequest, body: web::Json<SmsCodeBody>) -> Result<HttpResponse, ApiError> {
    let phone = Phone::parse(&body.phone)?;
    let purpose = Purpose::parse(&body.purpose)
        .ok_or_else(|| ApiError::refused(ErrorCode::InvalidPurpose, "purpose is `reset`, `login` or `change`"))?;
    if purpose == Purpose::Change {
        let me = Me::extract(&req).await?;
        if me.phone != phone {
            return Err(ApiError::refused(ErrorCode::Unauthorized, "a change code goes only to the logged-in member's phone"));
        }
    }
    auth::request_code(&state, &phone, purpose, client_address(&req)).await?;
    Ok(HttpResponse::Accepted().finish())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetBody {
    #[schema(example = "13800000001")]
    phone: String,
    /// The 6 digits of a `reset` code.
    #[schema(example = "123456")]
    code: String,
    /// 8 to 128 characters, hard to guess (zxcvbn score 3 or more), not holding the phone.
    new_password: String,
}

/// Set a new password with a `reset` code. Every session of the member ends. A wrong, expired,
/// used or replaced code, the sixth try of a code and a phone without a code all answer `invalid_code`.
#[utoipa::path(
    tag = "auth", request_body = ResetBody,
    responses((status = 200, body = LoggedIn, description = "the password is set; log in with it"),
              (status = 400, body = crate::http::error::ErrorBody, description = "invalid_phone, invalid_password"),
              (status = 422, body = crate::http::error::ErrorBody, description = "invalid_code, weak_password"))
)]
#[post("/auth/reset-password")]
pub async fn reset_password(state: web::Data<AppState>, body: web::Json<ResetBody>) -> Result<HttpResponse, ApiError> {
    let phone = Phone::parse(&body.phone)?;
    auth::set_password_by_code(&state, &phone, Purpose::Reset, &body.code, &body.new_password, Via::Api).await?;
    Ok(HttpResponse::Ok().json(LoggedIn { phone: phone.to_string() }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeBody {
    /// The 6 digits of a `change` code sent to the member's own phone.
    #[schema(example = "123456")]
    code: String,
    /// 8 to 128 characters, hard to guess (zxcvbn score 3 or more), not holding the phone.
    new_password: String,
}

/// The logged-in member sets a new password with a `change` code. Every session of the member
/// ends and this client gets a new one (a new `gp_member` cookie).
#[utoipa::path(
    tag = "auth", request_body = ChangeBody,
    responses((status = 200, body = LoggedIn, description = "the password is set; Set-Cookie: gp_member=… (a new session)"),
              (status = 400, body = crate::http::error::ErrorBody, description = "invalid_password"),
              (status = 401, body = crate::http::error::ErrorBody, description = "unauthorized"),
              (status = 422, body = crate::http::error::ErrorBody, description = "invalid_code, weak_password"))
)]
#[post("/auth/change-password")]
pub async fn change_password(state: web::Data<AppState>, me: Me, body: web::Json<ChangeBody>) -> Result<HttpResponse, ApiError> {
    auth::set_password_by_code(&state, &me.phone, Purpose::Change, &body.code, &body.new_password, Via::Api).await?;
    let cookie = session::open(&state.graph, Kind::Member, me.phone.as_str(), state.now()).await?;
    Ok(HttpResponse::Ok().cookie(cookie).json(LoggedIn { phone: me.phone.to_string() }))
}
