//! Member login and password reset, `/api/v1/auth/…`, and the rules the member pages share with
//! them (login throttling, SMS code requests, setting a password by code).
//!
//! Nothing here answers differently for a phone that is not registered: a login with an unknown
//! phone spends the time of a password check and answers `invalid_credentials`; an SMS code
//! request answers 202 (or 429 under the same per-phone limits); a reset answers `invalid_code`.
use actix_web::cookie::Cookie;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::me::Me;
use crate::app::sms::{CodeError, Purpose};
use crate::domain::password::Password;
use crate::domain::phone::Phone;
use crate::graph::{audit, members};
use crate::http::{ACCOUNT_RATE, AppState, LOGIN_RATE};
use crate::http::error::ApiError;
use crate::http::session::{self, Kind};

/// The client's address, as the admin login reads it (behind the proxy: its forwarded address).
pub(crate) fn client_address(req: &HttpRequest) -> String {
    req.connection_info().realip_remote_addr().unwrap_or("?").to_string()
}

fn too_many(message: &str) -> ApiError {
    ApiError::new(StatusCode::TOO_MANY_REQUESTS, "too_many_requests", message)
}

fn invalid_credentials() -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "invalid_credentials", "wrong phone number or password")
}

impl From<CodeError> for ApiError {
    fn from(error: CodeError) -> Self {
        match error {
            CodeError::TooSoon | CodeError::WindowFull => too_many(&error.to_string()),
            CodeError::Invalid => ApiError::unprocessable("invalid_code", &error),
            CodeError::Graph(error) => error.into(),
        }
    }
}

/// Runs a password check (Argon2, tens of milliseconds of CPU) off the request threads.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work).await.map_err(|error| {
        tracing::error!(%error, "a password check panicked");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal error; it has been logged")
    })
}

/// Checks a member's phone and password, throttled per phone and per client address (the
/// admin login's limiter). An unknown phone, a member without a password and a wrong password
/// all answer `invalid_credentials` after the same work.
pub(crate) async fn check_login(state: &AppState, phone: &Phone, password: &str, client: &str) -> Result<(), ApiError> {
    let throttled =
        !state.admit(&format!("member:{phone}"), LOGIN_RATE).await? || !state.admit(&format!("ip:{client}"), LOGIN_RATE).await?;
    if throttled {
        tracing::warn!(phone = %phone.masked(), client, "member login throttled");
        return Err(too_many("too many login attempts; try again later"));
    }
    let stored = members::password_hash(&state.graph, phone).await?.flatten();
    let password = Password::parse(password).ok();
    let accepted = blocking(move || match (stored, password) {
        (Some(hash), Some(password)) => password.matches(&hash),
        (None, Some(password)) => {
            password.waste_a_check();
            false
        }
        // Not a possible password: no account can have it, but the answer takes as long.
        (_, None) => {
            Password::parse("not a possible password").expect("a valid password").waste_a_check();
            false
        }
    })
    .await?;
    if !accepted {
        tracing::info!(phone = %phone.masked(), client, "member login refused");
        return Err(invalid_credentials());
    }
    Ok(())
}

/// Opens a new member session (a new id at every login) and ends the one the request carried, if any.
pub(crate) async fn open_session(state: &AppState, req: &HttpRequest, phone: &Phone) -> Result<Cookie<'static>, ApiError> {
    let now = state.now();
    if let Some(old) = session::current(&state.graph, req, Kind::Member, now).await? {
        session::close(&state.graph, Kind::Member, &old).await?;
    }
    Ok(session::open(&state.graph, Kind::Member, phone.as_str(), now).await?)
}

/// Asks for a code for `phone`, within the client address's limit and then the phone's.
pub(crate) async fn request_code(state: &AppState, phone: &Phone, purpose: Purpose, client: &str) -> Result<(), ApiError> {
    if !state.admit(&format!("sms:{client}"), ACCOUNT_RATE).await? {
        tracing::warn!(client, "SMS code requests throttled for this address");
        return Err(too_many("too many code requests from this address; try again later"));
    }
    Ok(state.sms.request(&state.graph, phone, purpose, state.now()).await?)
}

/// Sets a member's password with a code for `purpose`, ends every session of the member, and
/// records it in the audit log. The new password is checked first: a bad one costs no try.
pub(crate) async fn set_password_by_code(
    state: &AppState,
    phone: &Phone,
    purpose: Purpose,
    code: &str,
    new_password: &str,
    via: &str,
) -> Result<(), ApiError> {
    let password = Password::parse(new_password)?;
    state.sms.redeem(&state.graph, phone, purpose, code.trim(), state.now()).await?;
    let hash = blocking(move || password.hash()).await?;
    let ended = match members::set_password(&state.graph, phone, &hash).await {
        Ok(ended) => ended,
        // The never-sent code of an unregistered phone, guessed: the same answer as a wrong code.
        Err(crate::graph::GraphError::MemberNotFound) => return Err(CodeError::Invalid.into()),
        Err(error) => return Err(error.into()),
    };
    let action = match purpose {
        Purpose::Reset => "member.password_reset",
        Purpose::Change => "member.password_change",
    };
    let detail = format!("by SMS code, {via}; {ended} sessions ended");
    audit::record(&state.graph, &format!("member:{phone}"), action, phone.as_str(), &detail, state.now().timestamp_millis()).await?;
    tracing::info!(phone = %phone.masked(), action, "member password set by SMS code");
    Ok(())
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
    check_login(&state, &phone, &body.password, &client_address(&req)).await?;
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
    /// `reset` (forgotten password) or `change` (a logged-in member's own phone only).
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
        .ok_or_else(|| ApiError::bad_request("invalid_purpose", "purpose is `reset` or `change`"))?;
    if purpose == Purpose::Change {
        let me = Me::extract(&req).await?;
        if me.phone != phone {
            return Err(ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "a change code goes only to the logged-in member's phone"));
        }
    }
    request_code(&state, &phone, purpose, &client_address(&req)).await?;
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
    /// 8 to 128 characters.
    new_password: String,
}

/// Set a new password with a `reset` code. Every session of the member ends. A wrong, expired,
/// used or replaced code, the sixth try of a code and a phone without a code all answer `invalid_code`.
#[utoipa::path(
    tag = "auth", request_body = ResetBody,
    responses((status = 200, body = LoggedIn, description = "the password is set; log in with it"),
              (status = 400, body = crate::http::error::ErrorBody, description = "invalid_phone, invalid_password"),
              (status = 422, body = crate::http::error::ErrorBody, description = "invalid_code"))
)]
#[post("/auth/reset-password")]
pub async fn reset_password(state: web::Data<AppState>, body: web::Json<ResetBody>) -> Result<HttpResponse, ApiError> {
    let phone = Phone::parse(&body.phone)?;
    set_password_by_code(&state, &phone, Purpose::Reset, &body.code, &body.new_password, "api").await?;
    Ok(HttpResponse::Ok().json(LoggedIn { phone: phone.to_string() }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeBody {
    /// The 6 digits of a `change` code sent to the member's own phone.
    #[schema(example = "123456")]
    code: String,
    /// 8 to 128 characters.
    new_password: String,
}

/// The logged-in member sets a new password with a `change` code. Every session of the member
/// ends and this client gets a new one (a new `gp_member` cookie).
#[utoipa::path(
    tag = "auth", request_body = ChangeBody,
    responses((status = 200, body = LoggedIn, description = "the password is set; Set-Cookie: gp_member=… (a new session)"),
              (status = 400, body = crate::http::error::ErrorBody, description = "invalid_password"),
              (status = 401, body = crate::http::error::ErrorBody, description = "unauthorized"),
              (status = 422, body = crate::http::error::ErrorBody, description = "invalid_code"))
)]
#[post("/auth/change-password")]
pub async fn change_password(state: web::Data<AppState>, me: Me, body: web::Json<ChangeBody>) -> Result<HttpResponse, ApiError> {
    set_password_by_code(&state, &me.phone, Purpose::Change, &body.code, &body.new_password, "api").await?;
    let cookie = session::open(&state.graph, Kind::Member, me.phone.as_str(), state.now()).await?;
    Ok(HttpResponse::Ok().cookie(cookie).json(LoggedIn { phone: me.phone.to_string() }))
}
