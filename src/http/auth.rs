//! Bearer API keys: `Authorization: Bearer gp_…`. A key is looked up by the SHA-256 of its text.
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
        if self.scopes.contains(&scope) || self.scopes.contains(&Scope::Admin) {
            Ok(())
        } else {
            Err(ApiError::refused(ErrorCode::Forbidden, format!("this API key lacks the scope {scope}")))
        }
    }
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
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|k| k.trim().to_string());
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
