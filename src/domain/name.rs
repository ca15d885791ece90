//! The names people give: a member's name, an API key's name.
use std::fmt;

use crate::domain::error_code::ErrorCode;

/// Refused: blank, longer than 50 characters, or holding a character that is not shown as itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a name has 1 to 50 characters, without control or formatting characters")]
pub struct NameError;

impl NameError {
    pub fn code(&self) -> ErrorCode {
        ErrorCode::InvalidName
    }
}

/// 1 to 50 characters, without the spaces around them, each one shown as itself: no control
/// characters (line breaks, escapes), no formatting ones (right-to-left overrides that turn
/// `张三` + U+202E + `1234` into something else on screen, zero-width joiners and spaces), no line or
/// paragraph separators, nothing private or unassigned; spaces only as plain spaces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name(String);

fn shown_as_itself(c: char) -> bool {
    use unicode_properties::{GeneralCategory as G, UnicodeGeneralCategory};
    match c.general_category() {
        G::Control | G::Format | G::LineSeparator | G::ParagraphSeparator | G::Surrogate | G::PrivateUse | G::Unassigned => false,
        G::SpaceSeparator => c == ' ',
        _ => true,
    }
}

impl Name {
    pub const MAX_CHARS: usize = 50;

    pub fn parse(text: &str) -> Result<Name, NameError> {
        let trimmed = text.trim();
        let fits = !trimmed.is_empty() && trimmed.chars().count() <= Self::MAX_CHARS;
        if fits && trimmed.chars().all(shown_as_itself) { Ok(Name(trimmed.to_string())) } else { Err(NameError) }
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

    #[test]
    fn a_name_holds_only_characters_shown_as_themselves() {
        assert_eq!(Name::parse("王 小明 O'Brien-李").unwrap().as_str(), "王 小明 O'Brien-李");
        for hidden in [
            "张三\u{202E}1234",
            "a\u{2066}b",
            "a\u{200B}b",
            "a\u{200D}b",
            "a\u{FEFF}b",
            "a\nb",
            "a\tb",
            "a\u{1B}[31mb",
            "a\u{2028}b",
            "a\u{00A0}b",
            "a\u{3000}b",
            "a\u{E000}b",
            "a\u{00AD}b",
        ] {
            assert_eq!(Name::parse(hidden), Err(NameError), "{hidden:?}");
        }
    }
}
