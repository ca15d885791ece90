//! The OpenAPI document, generated from the handlers' annotations.
use actix_web::{HttpResponse, get};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "greenpoints", description = "Green points and dividend scheme (绿色积分与分红) API, version 1."),
    paths(
        super::members::register, super::members::summary, super::members::downline, super::members::change_sponsor,
        super::orders::intake, super::orders::get, super::orders::refund,
        super::members::adjust, super::params::get, super::params::put,
        super::settlements::run, super::settlements::get, super::settlements::payouts, super::settlements::preview,
        super::settlements::statements_of, super::settlements::statement,
        super::withdrawals::request, super::withdrawals::list, super::withdrawals::approve, super::withdrawals::reject,
        super::withdrawals::paid,
        super::me::summary, super::me::team, super::me::statements_list, super::me::statement_of_day, super::me::withdraw,
        super::me::withdrawals_list,
        super::auth::login, super::auth::logout, super::auth::sms_code, super::auth::reset_password,
        super::auth::change_password,
    ),
    components(schemas(crate::http::error::ErrorBody)),
    modifiers(&BearerKeys),
    servers((url = "/api/v1"))
)]
pub struct ApiDoc;

struct BearerKeys;

impl Modify for BearerKeys {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
        // `/me…`: the member portal's session cookie (an API key does not make a member).
        components.add_security_scheme("member_session", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("gp_member"))));
    }
}

/// This document.
#[get("/openapi.json")]
pub async fn document() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
