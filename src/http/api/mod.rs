//! The JSON API, version 1.
pub mod auth;
pub mod me;
pub mod members;
pub mod openapi;
pub mod orders;
pub mod params;
pub mod payout_accounts;
pub mod settlements;
pub mod withdrawals;

use crate::domain::error_code::ErrorCode;
use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .service(openapi::document)
            .service(auth::login)
            .service(auth::login_by_code)
            .service(auth::logout)
            .service(auth::sms_code)
            .service(auth::reset_password)
            .service(auth::change_password)
            .service(members::register)
            .service(members::list)
            .service(members::summary)
            .service(members::downline)
            .service(members::change_sponsor)
            .service(members::adjust)
            .service(payout_accounts::set)
            .service(payout_accounts::get)
            .service(payout_accounts::set_mine)
            .service(payout_accounts::mine)
            .service(settlements::statements_of)
            .service(settlements::statement)
            .service(orders::intake)
            .service(orders::get)
            .service(orders::refund)
            .service(orders::of_member)
            .service(params::get)
            .service(params::put)
            .service(params::cancel)
            .service(settlements::run)
            .service(settlements::get)
            .service(settlements::payouts)
            .service(settlements::preview)
            .service(withdrawals::request)
            .service(withdrawals::list)
            .service(withdrawals::get)
            .service(withdrawals::approve)
            .service(withdrawals::reject)
            .service(withdrawals::paid)
            .service(me::summary)
            .service(me::team)
            .service(me::statements_list)
            .service(me::statement_of_day)
            .service(me::withdraw)
            .service(me::withdrawals_list)
            .service(me::orders)
            .default_service(web::to(not_found)),
    );
}

/// No route took the request: 405 with `Allow` when the path is an endpoint's and only the method
/// is wrong, else 404.
async fn not_found(req: actix_web::HttpRequest) -> actix_web::HttpResponse {
    use actix_web::ResponseError;
    let allowed = openapi::allowed_methods(req.path());
    if allowed.is_empty() {
        return super::error::ApiError::refused(ErrorCode::NotFound, "no such endpoint").error_response();
    }
    let error = super::error::ApiError::refused(ErrorCode::MethodNotAllowed, format!("this endpoint answers {}", allowed.join(", ")));
    let mut response = error.error_response();
    let allow = actix_web::http::header::HeaderValue::from_str(&allowed.join(", ")).expect("method names are header-safe");
    response.headers_mut().insert(actix_web::http::header::ALLOW, allow);
    response
}

/// An amount read from the graph (integer fen) as money; a value out of range is corrupt data.
fn money(fen: i64) -> Result<crate::domain::money::Money, super::error::ApiError> {
    crate::domain::money::Money::from_fen(fen).map_err(|e| crate::graph::GraphError::Corrupt(format!("stored amount {fen}: {e}")).into())
}

/// Milliseconds read from the graph as an RFC 3339 instant; a value out of range is corrupt data.
fn instant(ms: i64) -> Result<String, super::error::ApiError> {
    chrono::DateTime::<chrono::Utc>::from_timestamp_millis(ms)
        .map(|at| at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .ok_or_else(|| crate::graph::GraphError::Corrupt(format!("stored instant {ms}")).into())
}

/// Milliseconds as an RFC 3339 instant with the scheme's offset (`2026-01-10T10:00:00.000+08:00`);
/// empty for a value out of range.
pub(crate) fn local_instant(ms: i64, tz: chrono_tz::Tz) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map_or_else(String::new, |at| at.with_timezone(&tz).to_rfc3339_opts(chrono::SecondsFormat::Millis, false))
}

/// The parameter version in force on a day, with the lookups the API needs.
pub struct ParamsInForce {
    pub version: i64,
    pub params: crate::domain::params::Params,
}

impl ParamsInForce {
    pub async fn on(state: &super::AppState, day: crate::domain::day::BusinessDay) -> Result<Self, super::error::ApiError> {
        let history = crate::graph::params::history(&state.graph).await?;
        let in_force = history.in_force(day);
        Ok(ParamsInForce { version: in_force.version, params: in_force.params.clone() })
    }

    pub async fn today(state: &super::AppState) -> Result<Self, super::error::ApiError> {
        Self::on(state, state.today()).await
    }
}

impl ParamsInForce {
    /// The name of the tier of a rank (0 = no tier, 1 = the lowest tier).
    pub fn tier_name(&self, rank: i64) -> Option<String> {
        let index = usize::try_from(rank).ok()?.checked_sub(1)?;
        self.params.team_tiers().get(index).map(|t| t.name.clone())
    }

    /// The name of the order level of an order amount.
    pub fn level_name(&self, amount: crate::domain::money::Money) -> Option<String> {
        self.params.order_level(amount).map(|l| l.name.clone())
    }
}

impl std::ops::Deref for ParamsInForce {
    type Target = crate::domain::params::Params;

    fn deref(&self) -> &Self::Target {
        &self.params
    }
}
