//! Pure domain types: no I/O, no actix, no neo4rs.
//!
//! "Parse, don't validate": every type is built from outside text through a constructor that
//! returns a `Result`; a value that exists is valid. Every error has a stable snake_case
//! `code()` for the API and a human message (`Display`).

/// Serializes a type as its `Display` string and deserializes it from a JSON string only,
/// through its `FromStr` (so the same rules apply to JSON as to any other text).
macro_rules! serde_as_string {
    ($type:ty) => {
        impl serde::Serialize for $type {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $type {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

pub mod amounts;
pub mod audit;
pub mod client_address;
pub mod day;
pub mod error_code;
pub mod invitation;
pub mod ledger;
pub mod member_search;
pub mod money;
pub mod name;
pub mod network;
pub mod order_id;
pub mod order_status;
pub mod params;
pub mod password;
pub mod payout_account;
pub mod phone;
pub mod reason;
pub mod role;
pub mod scope;
pub mod settlement;
pub mod team_fold;
pub mod throttle;
pub mod withdrawal;
