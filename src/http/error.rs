//! The API's error answer: `{"error": {"code", "message"}}` with a stable code. Internal details
//! are logged, never sent.
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::app::AppError;
use crate::domain::error_code::ErrorCode;
use crate::graph::GraphError;

/// What a 503 `database_unavailable` tells the client to wait before trying again.
pub const DATABASE_RETRY_AFTER_SECONDS: u32 = 2;

/// An error answer: a code of the registry (which gives its status), a message, the refused
/// fields of a document, and when to try again.
#[derive(Debug)]
pub struct ApiError {
    code: ErrorCode,
    message: String,
    fields: Vec<FieldError>,
    /// Seconds after which the same request may succeed (`Retry-After`).
    retry_after: Option<u32>,
}

pub use crate::app::FieldError;

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    code: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fields: Vec<FieldError>,
}

impl ApiError {
    /// A refusal with a code of the registry, answered with the code's status.
    pub fn refused(code: ErrorCode, message: impl ToString) -> Self {
        let retry_after = (code == ErrorCode::DatabaseUnavailable).then_some(DATABASE_RETRY_AFTER_SECONDS);
        ApiError { code, message: message.to_string(), fields: Vec::new(), retry_after }
    }

    pub fn with_fields(mut self, fields: Vec<FieldError>) -> Self {
        self.fields = fields;
        self
    }

    pub fn code(&self) -> ErrorCode {
        self.code
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.code.status()).expect("the registry's statuses are valid")
    }

    /// The database is unreachable or timed out: 503 with `Retry-After`.
    pub fn database_unavailable() -> Self {
        Self::refused(ErrorCode::DatabaseUnavailable, "the database is not answering; try again in a few seconds")
    }

    fn internal() -> Self {
        Self::refused(ErrorCode::Internal, "internal error; it has been logged")
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.code.status(), self.code, self.message)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status());
        if let Some(seconds) = self.retry_after {
            response.insert_header((actix_web::http::header::RETRY_AFTER, seconds.to_string()));
        }
        response
            .json(ErrorBody { error: ErrorDetail { code: self.code.as_str(), message: self.message.clone(), fields: self.fields.clone() } })
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        match error {
            AppError::Refused { code, message, fields } => Self::refused(code, message).with_fields(fields),
            AppError::Graph(error) => error.into(),
        }
    }
}

impl From<GraphError> for ApiError {
    fn from(error: GraphError) -> Self {
        match error {
            _ if error.is_unavailable() => {
                tracing::warn!(%error, "graph database unavailable");
                Self::database_unavailable()
            }
            _ => {
                tracing::error!(%error, "graph database failure");
                Self::internal()
            }
        }
    }
}

/// Domain parse errors are input that cannot be read: 400 with the error's own code.
macro_rules! bad_input_from {
    ($($error:ty),* $(,)?) => {$(
        impl From<$error> for ApiError {
            fn from(error: $error) -> Self {
                Self::refused(error.code(), error.to_string())
            }
        }
    )*};
}

crate::for_each_parse_error!(bad_input_from);

/// A refusal of a request that did not read, in the kind its path speaks: JSON under `/api/`,
/// an error page in the reader's language elsewhere.
pub(crate) fn refusal(req: &actix_web::HttpRequest, error: ApiError) -> actix_web::Error {
    use crate::http::pages::{ADMIN_HOME, MEMBER_HOME, PageError, i18n::Lang};
    let path = req.path();
    if path.starts_with("/api/") {
        return error.into();
    }
    let home = if path.starts_with(ADMIN_HOME) { ADMIN_HOME } else { MEMBER_HOME };
    PageError::from_api(Lang::of(req), home, error).into()
}

/// Bodies that are not the JSON the endpoint takes.
pub fn json_error(error: actix_web::error::JsonPayloadError, _: &actix_web::HttpRequest) -> actix_web::Error {
    ApiError::refused(ErrorCode::InvalidBody, format!("the body is not the JSON this endpoint takes: {error}")).into()
}

/// Query strings that do not parse.
pub fn query_error(error: actix_web::error::QueryPayloadError, req: &actix_web::HttpRequest) -> actix_web::Error {
    refusal(req, ApiError::refused(ErrorCode::InvalidQuery, format!("the query string does not parse: {error}")))
}

/// Path segments that do not parse.
pub fn path_error(error: actix_web::error::PathError, req: &actix_web::HttpRequest) -> actix_web::Error {
    refusal(req, ApiError::refused(ErrorCode::InvalidPath, format!("the path does not parse: {error}")))
}

/// Forms that do not read, or are too large (413).
pub fn form_error(error: actix_web::error::UrlencodedError, req: &actix_web::HttpRequest) -> actix_web::Error {
    use actix_web::error::UrlencodedError;
    let refused = match error {
        UrlencodedError::Overflow { .. } | UrlencodedError::Payload(actix_web::error::PayloadError::Overflow) => {
            ApiError::refused(ErrorCode::PayloadTooLarge, "the form is too large")
        }
        error => ApiError::refused(ErrorCode::InvalidForm, format!("the form does not read: {error}")),
    };
    refusal(req, refused)
}
