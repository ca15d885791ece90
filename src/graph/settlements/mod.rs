//! Settlements in the graph, by what they store: each day's settlement record, the latest day
//! settled, the history and the release calendar of the settled days ([`days`], which the orders
//! read too); what settling a day reads in bulk ([`snapshot`]); a run's claim, computed batches
//! and writes ([`runs`]); the members' statements and a day's payouts ([`statements`]).
//!
//! Rows come back decoded: days as [`crate::domain::day::BusinessDay`], amounts (integer fen in
//! the graph) as [`Money`], so a stored value out of range fails the read.
use serde::de::{Deserialize, Deserializer, Error};

use crate::domain::amounts::ByKind;
use crate::domain::money::Money;

pub mod days;
pub mod runs;
pub mod snapshot;
pub mod statements;

/// An amount returned in fen, as money.
fn money<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Money, D::Error> {
    Money::from_fen(i64::deserialize(deserializer)?).map_err(D::Error::custom)
}

/// The six amounts by kind returned in fen (columns `static`, `share_g1`, … `forfeited`), as money.
fn money_by_kind<'de, D: Deserializer<'de>>(deserializer: D) -> Result<ByKind<Money>, D::Error> {
    ByKind::<i64>::deserialize(deserializer)?.try_map(Money::from_fen).map_err(D::Error::custom)
}
