//! The names people give: a member's name, an API key's name.
use std::fmt;

use crate::domain::error_code::ErrorCode;

/// Refused: blank, or longer than 50 characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a name has 1 to 50 characters")]
pub struct NameError;

impl NameError {
    pub fn code(&self) -> ErrorCode {
        ErrorCode::InvalidName
    }
}

/// 1 to 50 characters, without the spaces around them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    pub const MAX_CHARS: usize = 50;

    pub fn parse(text: &str) -> Result<Name, NameError> {
        let trimmed = text.trim();
        if trimmed.is_empty() || trimmed.chars().count() > Self::MAX_CHARS { Err(NameError) } else { Ok(Name(trimmed.to_string())) }
    }

    /// A name that may be left out: blank is none.
    pub fn parse_optional(text: &str) -> Result<Option<Name>, NameError> {
        if text.trim().is_empty() { Ok(None) } else { Name::parse(text).map(Some) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_trimmed_and_has_one_to_fifty_characters() {
        assert_eq!(Name::parse("  王小明 ").unwrap().as_str(), "王小明");
        assert_eq!(Name::parse(&"名".repeat(50)).unwrap().as_str().chars().count(), 50);
        assert_eq!(Name::parse(&"名".repeat(51)), Err(NameError));
        assert_eq!(Name::parse(" \t"), Err(NameError));
        assert_eq!(Name::parse_optional("  "), Ok(None));
        assert_eq!(Name::parse_optional(&"x".repeat(51)), Err(NameError));
    }
}
