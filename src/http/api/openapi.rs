//! The OpenAPI document, generated from the handlers' annotations.
use std::sync::LazyLock;

use actix_web::{HttpResponse, get};
use serde_json::{Value, json};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "greenpoints", description = "Green points and dividend scheme (绿色积分与分红) API, version 1."),
    paths(
        super::members::register, super::members::list, super::members::summary, super::members::downline, super::members::change_sponsor,
        super::orders::intake, super::orders::get, super::orders::refund, super::orders::of_member, super::me::orders,
        super::members::adjust, super::payout_accounts::set, super::payout_accounts::get, super::payout_accounts::set_mine,
        super::payout_accounts::mine, super::params::get, super::params::put, super::params::cancel,
        super::settlements::run, super::settlements::get, super::settlements::payouts, super::settlements::preview,
        super::settlements::statements_of, super::settlements::statement,
        super::withdrawals::request, super::withdrawals::list, super::withdrawals::get, super::withdrawals::approve, super::withdrawals::reject,
        super::withdrawals::paid,
        super::me::summary, super::me::team, super::me::statements_list, super::me::statement_of_day, super::me::withdraw,
        super::me::withdrawals_list,
        super::auth::login, super::auth::login_by_code, super::auth::logout, super::auth::sms_code, super::auth::reset_password,
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

/// The document as served: utoipa's, completed by [`complete`]. Computed once.
pub static DOCUMENT: LazyLock<Value> =
    LazyLock::new(|| complete(serde_json::to_value(ApiDoc::openapi()).expect("the OpenAPI document serialises")));

/// This document.
#[get("/openapi.json")]
pub async fn document() -> HttpResponse {
    HttpResponse::Ok().json(&*DOCUMENT)
}

/// The methods the document lists for a request path under `/api/v1` (`GET` brings `HEAD`), for
/// the `Allow` header of a 405; empty when no path of the document matches.
pub fn allowed_methods(request_path: &str) -> Vec<String> {
    let Some(relative) = request_path.strip_prefix("/api/v1") else { return Vec::new() };
    let segments: Vec<&str> = relative.split('/').collect();
    let mut methods = Vec::new();
    for (template, item) in DOCUMENT["paths"].as_object().into_iter().flatten() {
        let pattern: Vec<&str> = template.split('/').collect();
        let matches =
            pattern.len() == segments.len() && pattern.iter().zip(&segments).all(|(p, s)| (p.starts_with('{') && !s.is_empty()) || p == s);
        if matches {
            for method in item.as_object().into_iter().flatten().map(|(m, _)| m.to_uppercase()) {
                if method == "GET" {
                    methods.push("HEAD".to_string());
                }
                methods.push(method);
            }
        }
    }
    methods.sort();
    methods.dedup();
    methods
}

const ERROR_BODY: &str = "#/components/schemas/ErrorBody";

/// What utoipa's annotations leave out, added the same way to every operation: operation ids
/// unique across tags, an error body and a description on every error answer, the answers every
/// operation of a kind can give (400 for unreadable input, 401 and 403 for credentials, 503 when
/// the database is down), and the formats of the input fields.
fn complete(mut doc: Value) -> Value {
    let mut request_schemas = Vec::new();
    for item in doc["paths"].as_object_mut().expect("paths").values_mut() {
        for operation in item.as_object_mut().expect("a path item").values_mut() {
            complete_operation(operation, &mut request_schemas);
        }
    }
    let schemas = &mut doc["components"]["schemas"];
    for name in request_schemas {
        if let Some(properties) = schemas.pointer_mut(&format!("/{name}/properties")).and_then(Value::as_object_mut) {
            for (field, schema) in properties.iter_mut() {
                describe_input(&name, field, schema);
            }
        }
    }
    doc
}

fn complete_operation(operation: &mut Value, request_schemas: &mut Vec<String>) {
    // Reads go through `pointer`: indexing a `&mut Value` would insert the keys it looks for.
    let tag = operation.pointer("/tags/0").and_then(Value::as_str).unwrap_or("api").to_string();
    let id = operation.pointer("/operationId").and_then(Value::as_str).unwrap_or_default().to_string();
    operation["operationId"] = json!(format!("{tag}_{id}"));

    let takes_input = operation.get("requestBody").is_some()
        || operation.get("parameters").and_then(Value::as_array).is_some_and(|parameters| !parameters.is_empty());
    for parameter in operation.get_mut("parameters").and_then(Value::as_array_mut).into_iter().flatten() {
        let name = parameter.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
        if let Some(schema) = parameter.get_mut("schema") {
            describe_input("", &name, schema);
        }
    }
    if let Some(schema) = operation.pointer("/requestBody/content/application~1json/schema/$ref").and_then(Value::as_str) {
        request_schemas.push(schema.trim_start_matches("#/components/schemas/").to_string());
    }

    let security = operation.get("security").and_then(Value::as_array).cloned().unwrap_or_default();
    let needs_credentials = security.iter().any(|requirement| requirement.as_object().is_some_and(|r| !r.is_empty()));
    let needs_scope = security.iter().any(|requirement| requirement["bearer"].as_array().is_some_and(|scopes| !scopes.is_empty()));
    let responses = operation["responses"].as_object_mut().expect("responses");
    let mut standard = vec![("503", "database_unavailable: the database is not answering; retry after `Retry-After` seconds")];
    if takes_input {
        standard.push(("400", "invalid_body, invalid_query, invalid_path, or the invalid_* code of the field that does not parse"));
    }
    if needs_credentials {
        standard.push(("401", "unauthorized: no credential, or one that is unknown, revoked or expired"));
    }
    if needs_scope {
        standard.push(("403", "forbidden: the API key lacks the scope"));
    }
    for (status, description) in standard {
        responses.entry(status).or_insert_with(|| json!({ "description": description }));
    }
    for (status, response) in responses.iter_mut() {
        if response.get("description").and_then(Value::as_str).is_none_or(str::is_empty) {
            response["description"] = json!(status_text(status));
        }
        if status.starts_with(['4', '5']) {
            response["content"] = json!({ "application/json": { "schema": { "$ref": ERROR_BODY } } });
        }
        if status == "503" {
            response["headers"] = json!({ "Retry-After": {
                "description": "seconds to wait before trying again",
                "schema": { "type": "integer", "minimum": 1 }
            }});
        }
    }
}

fn status_text(status: &str) -> &'static str {
    status
        .parse()
        .ok()
        .and_then(|code| actix_web::http::StatusCode::from_u16(code).ok())
        .and_then(|s| s.canonical_reason())
        .unwrap_or("answer")
}

/// Mainland mobile numbers (SPEC §5).
const PHONE: &str = "^1[3-9][0-9]{9}$";
/// Yuan with at most two decimals, no sign, at most `Money::MAX` (13 digits before the point,
/// leading zeros aside): what `Money::parse` accepts.
const AMOUNT: &str = "^0*([0-9]{1,13}(\\.[0-9]{1,2})?|10000000000000(\\.0{1,2})?)$";
/// The same, above zero: what `Money::parse_positive` accepts.
const POSITIVE_AMOUNT: &str = "^0*([1-9][0-9]{0,12}(\\.[0-9]{1,2})?|10000000000000(\\.0{1,2})?|0\\.(0[1-9]|[1-9][0-9]?))$";
/// The same with an optional sign: what `SignedMoney::parse` accepts.
const SIGNED_AMOUNT: &str = "^[+-]?0*([1-9][0-9]{0,12}(\\.[0-9]{1,2})?|10000000000000(\\.0{1,2})?|0\\.(0[1-9]|[1-9][0-9]?))$";
const DATE: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
/// `today` or `today-N`: what `BusinessDay::parse_relative` takes besides a date.
const RELATIVE_DAY: &str = "^today(-[0-9]{1,5})?$";
const ORDER_ID: &str = "^[A-Za-z0-9_.:/#-]{1,64}$";

/// The schema of an input field, by its name (and the body it is in): the one place where the
/// API's input formats are written. The domain's parsers accept exactly these.
fn describe_input(body: &str, field: &str, schema: &mut Value) {
    let string = |extra: Value| {
        let mut described = json!({ "type": "string" });
        described.as_object_mut().expect("an object").extend(extra.as_object().expect("an object").clone());
        described
    };
    let described = match (body, field) {
        (_, "phone" | "sponsor_phone") => string(json!({ "pattern": PHONE, "example": "13800000001" })),
        ("AdjustmentBody", "amount") => string(json!({ "pattern": SIGNED_AMOUNT, "example": "+100.00" })),
        (_, "amount") => string(json!({ "pattern": POSITIVE_AMOUNT, "example": "3000.00" })),
        (_, "points_paid") => string(json!({ "pattern": AMOUNT, "example": "0.00" })),
        (_, "paid_at") => string(json!({ "format": "date-time", "example": "2026-01-10T10:00:00+08:00" })),
        // A calendar date, or one counted back from today as the command line takes it.
        (_, "date" | "from" | "to") => json!({ "anyOf": [
            { "type": "string", "format": "date", "pattern": DATE, "example": "2026-01-10" },
            { "type": "string", "pattern": RELATIVE_DAY, "example": "today-1" },
        ]}),
        (_, "order_id") => string(json!({ "pattern": ORDER_ID, "example": "M20260110-0001" })),
        (_, "code") => string(json!({ "pattern": "^[0-9]{6}$", "example": "123456" })),
        (_, "password" | "new_password") => string(json!({ "minLength": 8, "maxLength": 128 })),
        (_, "idempotency_key") => string(json!({ "minLength": 1, "maxLength": 100 })),
        (_, "reason") => string(json!({ "minLength": 1, "maxLength": 200, "pattern": "[^ \\t\\r\\n]" })),
        (_, "name" | "real_name" | "bank") => string(json!({ "maxLength": 50 })),
        ("PayoutAccountBody" | "MyPayoutAccountBody", "kind") => string(json!({ "enum": ["bank_card", "alipay"] })),
        ("PayoutAccountBody" | "MyPayoutAccountBody", "number") => string(json!({ "minLength": 1, "maxLength": 100 })),
        (_, "limit") => json!({ "type": "integer", "minimum": 1, "maximum": crate::http::paging::MAX_LIMIT }),
        (_, "cursor") => string(json!({ "pattern": "^[A-Za-z0-9_-]+$" })),
        (_, "depth") => json!({ "type": "integer", "minimum": 1, "maximum": super::members::MAX_DOWNLINE_DEPTH }),
        (_, "generation") => json!({ "type": "integer", "minimum": 1, "maximum": crate::graph::members::TEAM_GENERATIONS }),
        (_, "purpose") => string(json!({ "enum": ["reset", "change"] })),
        (_, "status") => {
            let statuses: Vec<&str> = crate::domain::withdrawal::WithdrawalStatus::ALL.iter().map(|s| s.as_str()).collect();
            string(json!({ "enum": statuses }))
        }
        _ => return,
    };
    // An optional body field stays nullable (a query parameter has no null).
    let nullable = !body.is_empty() && schema.get("type").and_then(Value::as_array).is_some_and(|types| types.contains(&json!("null")));
    let mut described = described;
    if nullable {
        match described.get_mut("anyOf").and_then(Value::as_array_mut) {
            Some(choices) => choices.push(json!({ "type": "null" })),
            None => described["type"] = json!([described["type"].clone(), "null"]),
        }
    }
    let keep_description = schema.get("description").cloned();
    *schema = described;
    if let Some(description) = keep_description {
        schema["description"] = description;
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use regex::Regex;

    use super::*;
    use crate::domain::money::{Money, SignedMoney};
    use crate::domain::order_id::OrderId;
    use crate::domain::phone::Phone;

    /// Text near each format: digits, signs, points, leading zeros, letters, spaces.
    fn near_misses() -> impl Strategy<Value = String> {
        proptest::string::string_regex("[-+0-9.a ]{0,20}").expect("a valid regex")
    }

    /// Strings matching one of the document's patterns (proptest generates from the pattern
    /// without its anchors, which it does not support).
    fn matching(pattern: &str) -> impl Strategy<Value = String> {
        let unanchored = pattern.trim_start_matches('^').trim_end_matches('$');
        proptest::string::string_regex(unanchored).expect("a pattern proptest can generate from")
    }

    fn agree(pattern: &str, parses: impl Fn(&str) -> bool) -> impl Fn(String) -> Result<(), TestCaseError> {
        let regex = Regex::new(pattern).expect("the document's pattern compiles");
        move |text| {
            prop_assert_eq!(regex.is_match(&text), parses(&text), "{:?} against {}", text, regex.as_str());
            Ok(())
        }
    }

    proptest! {
        #[test]
        fn the_documents_amount_patterns_accept_exactly_what_the_parsers_accept(text in near_misses()) {
            agree(AMOUNT, |t| Money::parse(t).is_ok())(text.clone())?;
            agree(POSITIVE_AMOUNT, |t| Money::parse_positive(t).is_ok())(text.clone())?;
            agree(SIGNED_AMOUNT, |t| SignedMoney::parse(t).is_ok())(text)?;
        }

        #[test]
        fn every_amount_the_patterns_generate_parses(
            amount in matching(AMOUNT),
            positive in matching(POSITIVE_AMOUNT),
            signed in matching(SIGNED_AMOUNT),
        ) {
            prop_assert!(Money::parse(&amount).is_ok(), "{amount:?}");
            prop_assert!(Money::parse_positive(&positive).is_ok(), "{positive:?}");
            prop_assert!(SignedMoney::parse(&signed).is_ok(), "{signed:?}");
        }

        #[test]
        fn the_phone_and_order_id_patterns_accept_exactly_what_the_parsers_accept(
            text in proptest::string::string_regex("[0-9a-z:/#_ -]{0,13}").unwrap(),
        ) {
            agree(PHONE, |t| Phone::parse(t).is_ok())(text.clone())?;
            agree(ORDER_ID, |t| OrderId::parse(t).is_ok())(text)?;
        }
    }

    #[test]
    fn the_amount_patterns_hold_at_the_edges() {
        let patterns = [AMOUNT, POSITIVE_AMOUNT, SIGNED_AMOUNT].map(|p| Regex::new(p).unwrap());
        for (text, amount, positive, signed) in [
            ("10000000000000.00", true, true, true),
            ("10000000000000.01", false, false, false),
            ("0009999999999999", true, true, true),
            ("99999999999999", false, false, false),
            ("0.00", true, false, false),
            ("-0", false, false, false),
            ("+5", false, false, true),
            ("0.05", true, true, true),
            ("1.", false, false, false),
        ] {
            assert_eq!(Money::parse(text).is_ok(), amount, "{text}");
            assert_eq!(Money::parse_positive(text).is_ok(), positive, "{text}");
            assert_eq!(SignedMoney::parse(text).is_ok(), signed, "{text}");
            assert_eq!(patterns.each_ref().map(|p| p.is_match(text)), [amount, positive, signed], "{text}");
        }
    }
}
