//! The mall's own order id, the key that makes order submission idempotent.

use crate::domain::error_code::ErrorCode;
use std::fmt;
use std::str::FromStr;

use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("an order id has 1 to 64 characters: ASCII letters, digits and - _ . : / #")]
pub struct OrderIdError;

impl OrderIdError {
    pub fn code(&self) -> ErrorCode {
        ErrorCode::InvalidOrderId
    }
}

/// 1 to 64 ASCII letters, digits and `-_.:/#`.
///
/// Ordered byte by byte, as text: the FIFO rule ("oldest order first") breaks ties on
/// `paid_at` with exactly this order, so "A-10" comes before "A-9".
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OrderId(String); // `String`'s order is the byte order

impl OrderId {
    pub const MAX_LEN: usize = 64;

    pub fn parse(text: &str) -> Result<OrderId, OrderIdError> {
        let allowed = |b: &u8| b.is_ascii_alphanumeric() || b"-_.:/#".contains(b);
        if (1..=OrderId::MAX_LEN).contains(&text.len()) && text.as_bytes().iter().all(allowed) {
            Ok(OrderId(text.to_owned()))
        } else {
            Err(OrderIdError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OrderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for OrderId {
    type Err = OrderIdError;

    fn from_str(text: &str) -> Result<OrderId, OrderIdError> {
        OrderId::parse(text)
    }
}

serde_as_string!(OrderId);

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> OrderId {
        OrderId::parse(text).unwrap()
    }

    #[test]
    fn ids_of_letters_digits_and_the_listed_punctuation_are_accepted() {
        for text in ["A", "2026-01-10/000123", "shop_7:order.9#2", &"x".repeat(64)] {
            assert_eq!(id(text).as_str(), text);
        }
    }

    #[test]
    fn empty_long_spaced_or_exotic_ids_are_refused() {
        for text in ["", &"x".repeat(65), "A 1", " A1", "A1\n", "A\u{0}1", "订单1", "A+1", "A'1"] {
            assert_eq!(OrderId::parse(text), Err(OrderIdError), "{text:?}");
        }
        assert_eq!(OrderIdError.code(), "invalid_order_id");
    }

    #[test]
    fn ids_compare_as_text_byte_by_byte() {
        assert!(id("A-10") < id("A-9"));
        assert!(id("Z") < id("a"));
        assert!(id("a") < id("a#"));
        let mut ids = [id("b"), id("B2"), id("B10"), id("10")];
        ids.sort();
        assert_eq!(ids.iter().map(OrderId::as_str).collect::<Vec<_>>(), ["10", "B10", "B2", "b"]);
    }

    #[test]
    fn an_order_id_is_a_json_string_validated_on_the_way_in() {
        assert_eq!(serde_json::to_string(&id("A-1")).unwrap(), r#""A-1""#);
        assert_eq!(serde_json::from_str::<OrderId>(r#""A-1""#).unwrap(), id("A-1"));
        assert!(serde_json::from_str::<OrderId>(r#""A 1""#).is_err());
        assert!(serde_json::from_str::<OrderId>("17").is_err());
        assert_eq!(id("A-1").to_string(), "A-1");
    }
}
