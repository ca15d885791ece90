//! A member's phone number, which is also their login (手机号即账号).

use crate::domain::error_code::ErrorCode;
use std::fmt;
use std::str::FromStr;

use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("a phone number is a mainland mobile number: 11 digits starting with 13 to 19")]
pub struct PhoneError;

impl PhoneError {
    pub fn code(&self) -> ErrorCode {
        ErrorCode::InvalidPhone
    }
}

/// A mainland mobile number, `1[3-9]` then nine more ASCII digits, nothing else.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Phone(String);

impl Phone {
    pub fn parse(text: &str) -> Result<Phone, PhoneError> {
        match text.as_bytes() {
            [b'1', b'3'..=b'9', rest @ ..] if rest.len() == 9 && rest.iter().all(u8::is_ascii_digit) => Ok(Phone(text.to_owned())),
            _ => Err(PhoneError),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number with its middle four digits hidden, for pages and logs: "138****0001".
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Phone {
    type Err = PhoneError;

    fn from_str(text: &str) -> Result<Phone, PhoneError> {
        Phone::parse(text)
    }
}

serde_as_string!(Phone);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mainland_mobile_numbers_from_13_to_19_are_accepted() {
        for text in ["13800000001", "15912345678", "19999999999"] {
            assert_eq!(Phone::parse(text).unwrap().as_str(), text);
        }
    }

    #[test]
    fn anything_but_eleven_digits_starting_13_to_19_is_refused() {
        for text in [
            "",
            "1380000000",
            "138000000012",
            "12800000001",
            "10800000001",
            "23800000001",
            "+8613800000001",
            "138 0000 0001",
            " 13800000001",
            "13800000001\n",
            "1380000000a",
            "1380000000１",
            "13800000001/",
        ] {
            assert_eq!(Phone::parse(text), Err(PhoneError), "{text:?}");
        }
        assert_eq!(PhoneError.code(), "invalid_phone");
    }

    #[test]
    fn a_masked_phone_shows_only_the_first_three_and_last_four_digits() {
        assert_eq!(Phone::parse("13800000001").unwrap().masked(), "138****0001");
        assert_eq!(Phone::parse("15912345678").unwrap().masked(), "159****5678");
    }

    #[test]
    fn a_phone_is_a_json_string_validated_on_the_way_in() {
        let phone = Phone::parse("13800000001").unwrap();
        assert_eq!(serde_json::to_string(&phone).unwrap(), r#""13800000001""#);
        assert_eq!(serde_json::from_str::<Phone>(r#""13800000001""#).unwrap(), phone);
        assert!(serde_json::from_str::<Phone>(r#""12800000001""#).is_err());
        assert!(serde_json::from_str::<Phone>("13800000001").is_err());
        assert_eq!(phone.to_string(), "13800000001");
    }
}
