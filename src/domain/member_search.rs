//! What the console's member search looks for: digits of a phone (its first, last or middle
//! ones) or a part of a member's name.
use super::name::Name;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MemberSearch {
    /// 1 to 11 digits, found anywhere in a phone.
    Digits(String),
    /// A part of a name, lower-cased: names are matched whatever their case.
    Name(String),
}

impl MemberSearch {
    /// Digits are a phone search; anything else a name could hold (trimmed, 1 to 50 characters
    /// shown as themselves) is a name search; None for anything else.
    pub fn parse(text: &str) -> Option<MemberSearch> {
        let text = text.trim();
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            return (text.len() <= 11).then(|| MemberSearch::Digits(text.to_string()));
        }
        Name::parse(text).ok().map(|name| MemberSearch::Name(name.as_str().to_lowercase()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_search_phones_and_other_text_searches_names_lower_cased() {
        assert_eq!(MemberSearch::parse(" 5678 "), Some(MemberSearch::Digits("5678".into())));
        assert_eq!(MemberSearch::parse("13800000001"), Some(MemberSearch::Digits("13800000001".into())));
        assert_eq!(MemberSearch::parse("138000000011"), None, "twelve digits are no phone's");
        assert_eq!(MemberSearch::parse("Li Lei"), Some(MemberSearch::Name("li lei".into())));
        assert_eq!(MemberSearch::parse("王"), Some(MemberSearch::Name("王".into())));
        assert_eq!(MemberSearch::parse("   "), None);
        assert_eq!(MemberSearch::parse(&"名".repeat(51)), None);
    }
}
