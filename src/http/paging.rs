//! `limit` and the opaque `cursor` of list endpoints: a cursor is base64url of a small JSON
//! value naming the last item of the previous page.
use crate::domain::error_code::ErrorCode;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::error::ApiError;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

/// A page of items with the cursor of the next page, or null on the last.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Page<T: utoipa::ToSchema> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

pub fn limit(requested: Option<i64>) -> Result<i64, ApiError> {
    match requested {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(n) => Err(ApiError::refused(ErrorCode::InvalidLimit, format!("limit must be between 1 and {MAX_LIMIT}, not {n}"))),
    }
}

/// Cuts rows read `limit + 1` at a time to a page; the next page's cursor (the last row's
/// `position`) when there was a row beyond it.
pub fn cut<T, P: Serialize>(rows: &mut Vec<T>, limit: i64, position: impl Fn(&T) -> P) -> Option<String> {
    if rows.len() as i64 <= limit {
        return None;
    }
    rows.truncate(limit as usize);
    rows.last().map(|row| encode(&position(row)))
}

pub fn encode<T: Serialize>(position: &T) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(position).expect("cursor positions serialise"))
}

pub fn decode<T: DeserializeOwned>(cursor: &str) -> Result<T, ApiError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| ApiError::refused(ErrorCode::InvalidCursor, "the cursor is not one this server gave"))
}
