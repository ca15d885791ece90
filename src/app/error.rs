//! What a use case answers instead of a result: a refusal by a rule, with its stable code (nothing
//! changed), or a fault of the database (logged; nothing is known to have changed).
use serde::Serialize;

use crate::domain::error_code::ErrorCode;
use crate::graph::{GraphError, TransactionError};

/// A refused field of a document (the parameters), for forms that show the reason next to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A rule refused the request; nothing changed.
    #[error("{message}")]
    Refused { code: ErrorCode, message: String, fields: Vec<FieldError> },
    /// The database failed, or did not answer in time.
    #[error(transparent)]
    Graph(#[from] GraphError),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn refused(code: ErrorCode, message: impl ToString) -> AppError {
        AppError::Refused { code, message: message.to_string(), fields: Vec::new() }
    }

    pub fn member_not_found() -> AppError {
        AppError::refused(ErrorCode::MemberNotFound, "no member has this phone number")
    }

    pub fn order_not_found() -> AppError {
        AppError::refused(ErrorCode::OrderNotFound, "no order has this id")
    }

    pub fn withdrawal_not_found() -> AppError {
        AppError::refused(ErrorCode::WithdrawalNotFound, "no withdrawal has this id")
    }

    pub fn idempotency_key_conflict() -> AppError {
        AppError::refused(ErrorCode::IdempotencyKeyConflict, "this idempotency key was used for a different request")
    }

    pub fn with_fields(self, fields: Vec<FieldError>) -> AppError {
        match self {
            AppError::Refused { code, message, .. } => AppError::Refused { code, message, fields },
            fault => fault,
        }
    }

    /// The code of a refusal (`None` for a database fault).
    pub fn refusal(&self) -> Option<ErrorCode> {
        match self {
            AppError::Refused { code, .. } => Some(*code),
            AppError::Graph(_) => None,
        }
    }

    /// Stored data that breaks an invariant: a fault, never a refusal.
    pub fn corrupt(what: impl Into<String>) -> AppError {
        AppError::Graph(GraphError::Corrupt(what.into()))
    }
}

impl TransactionError for AppError {
    fn is_transient(&self) -> bool {
        matches!(self, AppError::Graph(error) if error.is_transient())
    }
}

/// Domain parse errors are input that cannot be read, each with its own code.
macro_rules! refused_from {
    ($($error:ty),* $(,)?) => {$(
        impl From<$error> for AppError {
            fn from(error: $error) -> Self {
                AppError::refused(error.code(), &error)
            }
        }
    )*};
}

crate::for_each_parse_error!(refused_from);

impl From<crate::domain::withdrawal::NotAllowed> for AppError {
    fn from(error: crate::domain::withdrawal::NotAllowed) -> Self {
        AppError::refused(ErrorCode::WithdrawalState, error)
    }
}
