//! Bearer API keys: `Authorization: Bearer gp_…` (the scheme in any case). A key is looked up by the SHA-256 of its text.
use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, web};

use super::AppState;
use super::error::ApiError;
use crate::app::api_keys::hash_key;
use crate::domain::audit::Actor;
use crate::domain::error_code::ErrorCode;
use crate::domain::scope::Scope;

/// The API client a request authenticated as.
#[derive(Debug)]
pub struct ApiClient {
    pub key_id: String,
    scopes: Vec<Scope>,
}

impl ApiClient {
    /// Who did it, for the audit log.
    pub fn actor(&self) -> Actor {
        Actor::ApiKey(self.key_id.clone())
    }

    /// Refuses with 403 unless the key has `scope` (or `admin`, which includes every scope).
    pub fn require(&self, scope: Scope) -> Result<(), ApiError> {
        self.require_any(&[scope])
    }

    /// Refuses with 403 unless the key has one of `scopes` (or `admin`).
    pub fn require_any(&self, scopes: &[Scope]) -> Result<(), ApiError> {
        if scopes.iter().any(|scope| self.scopes.contains(scope)) || self.scopes.contains(&Scope::Admin) {
            Ok(())
        } else {
            let names = scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" or ");
            Err(ApiError::refused(ErrorCode::Forbidden, format!("this API key lacks the scope {names}")))
        }
    }
}

/// The credentials of an `Authorization: Bearer <key>` header. The scheme is matched in any case
/// (RFC 7235: `bearer`, `BEARER`), then one or more spaces; None for another scheme or no key.
fn bearer_credentials(header: &str) -> Option<&str> {
    let (scheme, credentials) = header.trim().split_once(' ')?;
    let credentials = credentials.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !credentials.is_empty()).then_some(credentials)
}

fn unauthorized(message: &str) -> ApiError {
    ApiError::refused(ErrorCode::Unauthorized, message)
}

impl FromRequest for ApiClient {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let key = req
            .headers()
            .get(actix_web::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(bearer_credentials)
            .map(str::to_string);
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::refused(ErrorCode::Internal, "no state"))?;
            let key = key.ok_or_else(|| unauthorized("send an API key as `Authorization: Bearer <key>`"))?;
            let asked = hash_key(&key);
            let row =
                crate::graph::api_keys::by_hash(&state.graph, &asked).await?.ok_or_else(|| unauthorized("unknown or revoked API key"))?;
            // Defence in depth: an answer meant for another lookup must never pass as this key's.
            if row.key_hash != asked {
                tracing::error!(found_key_id = %row.id, "an API key lookup answered another key's row; refused");
                return Err(unauthorized("unknown or revoked API key"));
            }
            // A scope this version does not know grants nothing.
            let scopes = row.scopes.iter().filter_map(|s| s.parse().ok()).collect();
            Ok(ApiClient { key_id: row.id, scopes })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::bearer_credentials;

    #[test]
    fn the_bearer_scheme_is_read_in_any_case_and_other_schemes_are_not() {
        for header in ["Bearer gp_k", "bearer gp_k", "BEARER gp_k", "bEaReR  gp_k ", " Bearer gp_k"] {
            assert_eq!(bearer_credentials(header), Some("gp_k"), "{header:?}");
        }
        for header in ["Basic gp_k", "Bearer", "Bearer ", "Bearergp_k", "gp_k", "", "Token gp_k"] {
            assert_eq!(bearer_credentials(header), None, "{header:?}");
        }
    }
}
