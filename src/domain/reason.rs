//! Why a person did something (an adjustment, a rejected withdrawal), as they wrote it.
use crate::domain::error_code::ErrorCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a reason of 1 to 200 characters is required")]
pub struct ReasonError;

impl ReasonError {
    pub fn code(&self) -> ErrorCode {
        ErrorCode::InvalidReason
    }
}

/// 1 to 200 characters, counted as sent, not all blank (blank being spaces, tabs and line
/// breaks: the OpenAPI document's rule, which a JSON Schema validator checks the same way).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason(String);

impl Reason {
    pub fn parse(text: &str) -> Result<Reason, ReasonError> {
        if text.chars().count() > 200 || text.chars().all(|c| matches!(c, ' ' | '\t' | '\r' | '\n')) {
            return Err(ReasonError);
        }
        Ok(Reason(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_not_blank_and_at_most_200_characters() {
        assert_eq!(Reason::parse("退货补偿").unwrap().as_str(), "退货补偿");
        assert_eq!(Reason::parse(&"因".repeat(200)).unwrap().as_str().chars().count(), 200);
        for bad in ["", " \t\r\n", &"因".repeat(201)] {
            assert_eq!(Reason::parse(bad), Err(ReasonError), "{bad:?}");
        }
    }
}
