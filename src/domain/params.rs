//! The bonus parameters (奖金制度参数) of SPEC §2: one whole document per version.
//!
//! [`ParamsDocument`] is the document as received, so that every bad value can be reported
//! next to its field (`team_tiers[2].rate`) instead of failing the whole parse; [`Params`] is
//! the validated version the rest of the crate computes with.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::day::BusinessDay;
use super::money::{Money, MoneyError, Multiplier, Rate};

/// More would not fit an admin form; the defaults have 4 levels and 7 tiers.
const MAX_ORDER_LEVELS: usize = 20;
/// Zero tiers is allowed: the scheme then pays no team or peer bonus.
const MAX_TEAM_TIERS: usize = 20;
const MAX_NAME_CHARS: usize = 32;
const MAX_PEER_GENERATIONS: i64 = 10;
const MAX_TEAM_DEPTH: i64 = 10_000;
/// A return window longer than a year is not a hold but a different scheme.
const MAX_HOLD_DAYS: i64 = 365;

/// The parameter document exactly as the API sends and receives it: amounts and rates are
/// strings, unknown fields are refused and every field is required (`team_max_depth` may be
/// `null`, but must be there); only `hold_days`, added later, may be left out (it is then 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamsDocument {
    pub effective_from: String,
    pub order_levels: Vec<OrderLevelDocument>,
    pub release_rate: String,
    pub share_rates: Vec<String>,
    pub team_tiers: Vec<TeamTierDocument>,
    pub peer_rate: String,
    pub peer_generations: i64,
    #[serde(deserialize_with = "Option::deserialize")]
    pub team_max_depth: Option<i64>,
    #[serde(default)]
    pub hold_days: i64,
    pub points_usage_ratio: String,
    pub withdrawal_min: String,
    pub withdrawal_fee_rate: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderLevelDocument {
    pub name: String,
    pub min_amount: String,
    pub multiplier: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamTierDocument {
    pub name: String,
    pub min_volume: String,
    pub rate: String,
}

/// One reason a document was refused. `field` is a JSON path such as `team_tiers[2].rate`,
/// or empty when the document as a whole is not valid JSON of the right shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    /// In English, as the API answers it.
    pub message: String,
    /// Which rule it breaks, for a page to say in its reader's language.
    #[serde(skip)]
    pub reason: Reason,
}

/// The rule a field breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Not a document of the right shape (not JSON, a field missing or unknown).
    Shape,
    NotADay,
    /// Not a rate: a decimal fraction from 0 to 1 (`0.012`).
    NotARate,
    /// Not an amount in yuan with at most two decimals (above zero where it must be).
    NotAnAmount,
    NotAMultiplier,
    AboveZero,
    BelowOne,
    Entries {
        min: usize,
        max: usize,
    },
    Integer {
        min: i64,
        max: i64,
    },
    Name {
        max: usize,
    },
    /// Must be greater than the previous entry's value, which it names.
    AbovePrevious(String),
}

/// Every reason a document was refused, not just the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamsErrors {
    pub errors: Vec<FieldError>,
}

impl ParamsErrors {
    pub fn code(&self) -> &'static str {
        "invalid_params"
    }
}

impl fmt::Display for ParamsErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid parameters")?;
        for (i, error) in self.errors.iter().enumerate() {
            let separator = if i == 0 { ": " } else { "; " };
            match error.field.as_str() {
                "" => write!(f, "{separator}{}", error.message)?,
                field => write!(f, "{separator}{field}: {}", error.message)?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for ParamsErrors {}

/// An order of at least `min_amount` is granted `multiplier` points per yuan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderLevel {
    pub name: String,
    pub min_amount: Money,
    pub multiplier: Multiplier,
}

/// A member whose team volume is at least `min_volume` has this tier and team rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamTier {
    pub name: String,
    pub min_volume: Money,
    pub rate: Rate,
}

/// How far a team volume is from the next tier up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierProgress<'a> {
    pub tier: &'a TeamTier,
    /// Team volume still needed to reach it.
    pub needed: Money,
    /// How much of its threshold the volume reaches, rounded down: 0 to 99.
    pub percent: i64,
}

/// A validated parameter version. The fields are private so that the invariants hold: order
/// levels (at least one) strictly increase in minimum, team tiers strictly increase in both
/// minimum volume and rate, and there are one or two share rates.
///
/// Serializes as its canonical [`ParamsDocument`] and deserializes through [`Params::parse`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "ParamsDocument", try_from = "ParamsDocument")]
pub struct Params {
    effective_from: BusinessDay,
    order_levels: Vec<OrderLevel>,
    release_rate: Rate,
    share_rates: Vec<Rate>,
    team_tiers: Vec<TeamTier>,
    peer_rate: Rate,
    peer_generations: u32,
    team_max_depth: Option<u32>,
    hold_days: u32,
    points_usage_ratio: Rate,
    withdrawal_min: Money,
    withdrawal_fee_rate: Rate,
}

impl Params {
    /// The defaults of SPEC §2, in force from `effective_from`.
    pub fn defaults(effective_from: BusinessDay) -> Params {
        let level = |name: &str, min_amount: &str, multiplier: &str| OrderLevelDocument {
            name: name.into(),
            min_amount: min_amount.into(),
            multiplier: multiplier.into(),
        };
        let tier = |name: &str, min_volume: &str, rate: &str| TeamTierDocument {
            name: name.into(),
            min_volume: min_volume.into(),
            rate: rate.into(),
        };
        Params::parse(ParamsDocument {
            effective_from: effective_from.to_string(),
            order_levels: vec![
                level("初级", "3000.00", "2.5"),
                level("中级", "9000.00", "3"),
                level("高级", "27000.00", "3.5"),
                level("VIP", "51000.00", "4"),
            ],
            release_rate: "0.012".into(),
            share_rates: vec!["0.5".into(), "0.3".into()],
            team_tiers: vec![
                tier("青铜", "50000.00", "0.10"),
                tier("白银", "200000.00", "0.20"),
                tier("黄金", "600000.00", "0.26"),
                tier("铂金", "2000000.00", "0.32"),
                tier("钻石", "6000000.00", "0.38"),
                tier("星耀", "15000000.00", "0.44"),
                tier("王者", "30000000.00", "0.50"),
            ],
            peer_rate: "0.03".into(),
            peer_generations: 1,
            team_max_depth: None,
            hold_days: 0,
            points_usage_ratio: "0.5".into(),
            withdrawal_min: "100.00".into(),
            withdrawal_fee_rate: "0".into(),
        })
        .expect("the default parameters are valid")
    }

    /// Validates a document, reporting every bad field at once.
    pub fn parse(document: ParamsDocument) -> Result<Params, ParamsErrors> {
        let mut check = Checker::default();
        let effective_from = check.parse("effective_from", BusinessDay::parse(&document.effective_from), Reason::NotADay);
        let order_levels = check.order_levels(&document.order_levels);
        let release_rate =
            check.rate_where("release_rate", &document.release_rate, |rate| !rate.is_zero(), "must be greater than 0", Reason::AboveZero);
        let share_rates = check.share_rates(&document.share_rates);
        let team_tiers = check.team_tiers(&document.team_tiers);
        let peer_rate = check.rate("peer_rate", &document.peer_rate);
        let peer_generations = check.integer("peer_generations", document.peer_generations, 0..=MAX_PEER_GENERATIONS);
        let team_max_depth = match document.team_max_depth {
            None => Some(None),
            Some(depth) => check.integer("team_max_depth", depth, 1..=MAX_TEAM_DEPTH).map(Some),
        };
        let hold_days = check.integer("hold_days", document.hold_days, 0..=MAX_HOLD_DAYS);
        let points_usage_ratio = check.rate("points_usage_ratio", &document.points_usage_ratio);
        let withdrawal_min = check.parse("withdrawal_min", Money::parse(&document.withdrawal_min), Reason::NotAnAmount);
        let withdrawal_fee_rate = check.rate_where(
            "withdrawal_fee_rate",
            &document.withdrawal_fee_rate,
            |rate| rate < Rate::ONE,
            "must be less than 1",
            Reason::BelowOne,
        );

        let params = || {
            Some(Params {
                effective_from: effective_from?,
                order_levels: order_levels?,
                release_rate: release_rate?,
                share_rates: share_rates?,
                team_tiers: team_tiers?,
                peer_rate: peer_rate?,
                peer_generations: peer_generations?,
                team_max_depth: team_max_depth?,
                hold_days: hold_days?,
                points_usage_ratio: points_usage_ratio?,
                withdrawal_min: withdrawal_min?,
                withdrawal_fee_rate: withdrawal_fee_rate?,
            })
        };
        match params() {
            Some(params) if check.errors.is_empty() => Ok(params),
            _ => Err(ParamsErrors { errors: check.errors }),
        }
    }

    /// Parses a JSON body; a body that is not a document of the right shape (not JSON, a
    /// missing or unknown field, a number where a string belongs) is one error without a field.
    pub fn from_json(body: &str) -> Result<Params, ParamsErrors> {
        let document = serde_json::from_str(body).map_err(|error| ParamsErrors {
            errors: vec![FieldError { field: String::new(), message: error.to_string(), reason: Reason::Shape }],
        })?;
        Params::parse(document)
    }

    pub fn effective_from(&self) -> BusinessDay {
        self.effective_from
    }

    /// At least one, strictly increasing in `min_amount`.
    pub fn order_levels(&self) -> &[OrderLevel] {
        &self.order_levels
    }

    pub fn release_rate(&self) -> Rate {
        self.release_rate
    }

    /// One or two rates: generation 1 (the sponsor), then generation 2 if present.
    pub fn share_rates(&self) -> &[Rate] {
        &self.share_rates
    }

    /// Possibly empty, strictly increasing in both `min_volume` and `rate`.
    pub fn team_tiers(&self) -> &[TeamTier] {
        &self.team_tiers
    }

    /// The tier thresholds in fen, ascending: the Cypher analytics rank a team volume by how many it reaches.
    pub fn tier_thresholds_fen(&self) -> Vec<i64> {
        self.team_tiers.iter().map(|t| t.min_volume.fen()).collect()
    }

    pub fn peer_rate(&self) -> Rate {
        self.peer_rate
    }

    pub fn peer_generations(&self) -> u32 {
        self.peer_generations
    }

    /// `None` is unlimited; otherwise at least 1 (the sponsor is generation 1).
    pub fn team_max_depth(&self) -> Option<u32> {
        self.team_max_depth
    }

    /// Days an order paid under this version waits before it counts at all (冻结期).
    pub fn hold_days(&self) -> u32 {
        self.hold_days
    }

    /// The start day an order paid on `paid_day` under this version has by its paid day alone
    /// (SPEC §1): `hold_days` later. Lateness may move it further (the settlement's fence).
    pub fn start_day_by_paid_day(&self, paid_day: BusinessDay) -> BusinessDay {
        paid_day.plus_days(self.hold_days)
    }

    pub fn points_usage_ratio(&self) -> Rate {
        self.points_usage_ratio
    }

    pub fn withdrawal_min(&self) -> Money {
        self.withdrawal_min
    }

    pub fn withdrawal_fee_rate(&self) -> Rate {
        self.withdrawal_fee_rate
    }

    /// The highest level whose minimum is at most `amount`; `None` below the lowest level.
    /// The index of the highest order level whose minimum `amount` reaches, if any.
    pub fn order_level_index(&self, amount: Money) -> Option<usize> {
        let reached = self.order_levels.partition_point(|level| level.min_amount <= amount);
        reached.checked_sub(1)
    }

    pub fn order_level(&self, amount: Money) -> Option<&OrderLevel> {
        self.order_level_index(amount).map(|index| &self.order_levels[index])
    }

    /// The points an order of `amount` is granted: `floor_fen(amount × multiplier)`, zero below
    /// the lowest level. Fails only when the grant would exceed [`Money::MAX`].
    pub fn grant(&self, amount: Money) -> Result<Money, MoneyError> {
        match self.order_level(amount) {
            Some(level) => Money::floor_from(amount.as_decimal() * level.multiplier.as_decimal()),
            None => Ok(Money::ZERO),
        }
    }

    /// What an order of `amount` releases per day (before the cap of its remaining points).
    pub fn daily_release(&self, amount: Money) -> Money {
        amount.floor_times(self.release_rate)
    }

    /// The index in [`Params::team_tiers`] of the tier of a team volume, `None` below the first.
    /// Tiers increase in rate, so comparing indexes compares rates.
    pub fn tier_index(&self, volume: Money) -> Option<usize> {
        let reached = self.team_tiers.partition_point(|tier| tier.min_volume <= volume);
        reached.checked_sub(1)
    }

    pub fn tier(&self, volume: Money) -> Option<&TeamTier> {
        self.tier_index(volume).map(|index| &self.team_tiers[index])
    }

    /// The team rate of a team volume: its tier's rate, 0 without a tier.
    pub fn team_rate(&self, volume: Money) -> Rate {
        self.tier(volume).map_or(Rate::ZERO, |tier| tier.rate)
    }

    /// How far a team volume is from the lowest tier above it; `None` at the highest tier.
    pub fn next_tier(&self, team_volume: Money) -> Option<TierProgress<'_>> {
        let next = self.team_tiers.iter().find(|tier| tier.min_volume > team_volume)?;
        Some(TierProgress {
            tier: next,
            needed: next.min_volume.checked_sub(team_volume).expect("the next tier is above the volume"),
            // Rounded down, so below 100. Amounts are at most 10^15 fen: × 100 fits an i64.
            percent: team_volume.fen() * 100 / next.min_volume.fen(),
        })
    }

    /// The most of an order of `amount` that may be paid with available points.
    pub fn max_points_paid(&self, amount: Money) -> Money {
        amount.floor_times(self.points_usage_ratio)
    }
}

impl TryFrom<ParamsDocument> for Params {
    type Error = ParamsErrors;

    fn try_from(document: ParamsDocument) -> Result<Params, ParamsErrors> {
        Params::parse(document)
    }
}

/// The canonical document: amounts with two decimals, rates in their shortest form.
impl From<&Params> for ParamsDocument {
    fn from(params: &Params) -> ParamsDocument {
        ParamsDocument {
            effective_from: params.effective_from.to_string(),
            order_levels: params
                .order_levels
                .iter()
                .map(|level| OrderLevelDocument {
                    name: level.name.clone(),
                    min_amount: level.min_amount.to_string(),
                    multiplier: level.multiplier.to_string(),
                })
                .collect(),
            release_rate: params.release_rate.to_string(),
            share_rates: params.share_rates.iter().map(Rate::to_string).collect(),
            team_tiers: params
                .team_tiers
                .iter()
                .map(|tier| TeamTierDocument {
                    name: tier.name.clone(),
                    min_volume: tier.min_volume.to_string(),
                    rate: tier.rate.to_string(),
                })
                .collect(),
            peer_rate: params.peer_rate.to_string(),
            peer_generations: params.peer_generations.into(),
            team_max_depth: params.team_max_depth.map(i64::from),
            hold_days: params.hold_days.into(),
            points_usage_ratio: params.points_usage_ratio.to_string(),
            withdrawal_min: params.withdrawal_min.to_string(),
            withdrawal_fee_rate: params.withdrawal_fee_rate.to_string(),
        }
    }
}

impl From<Params> for ParamsDocument {
    fn from(params: Params) -> ParamsDocument {
        ParamsDocument::from(&params)
    }
}

/// Collects the errors of a document while its fields are parsed one by one.
#[derive(Default)]
struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    fn reject(&mut self, field: impl Into<String>, message: impl fmt::Display, reason: Reason) {
        self.errors.push(FieldError { field: field.into(), message: message.to_string(), reason });
    }

    /// Records the error, if any, of one parsed field.
    fn parse<T, E: fmt::Display>(&mut self, field: impl Into<String>, parsed: Result<T, E>, reason: Reason) -> Option<T> {
        parsed.map_err(|error| self.reject(field, error, reason)).ok()
    }

    /// Records `message` unless `condition` holds; returns `condition`.
    fn holds(&mut self, field: impl Into<String>, condition: bool, message: &str, reason: Reason) -> bool {
        if !condition {
            self.reject(field, message, reason);
        }
        condition
    }

    fn rate(&mut self, field: impl Into<String>, text: &str) -> Option<Rate> {
        self.parse(field, Rate::parse(text), Reason::NotARate)
    }

    /// A rate that must also meet a condition of its field.
    fn rate_where(&mut self, field: &str, text: &str, condition: impl FnOnce(Rate) -> bool, message: &str, reason: Reason) -> Option<Rate> {
        let rate = self.rate(field, text)?;
        self.holds(field, condition(rate), message, reason).then_some(rate)
    }

    fn count(&mut self, field: &str, count: usize, allowed: std::ops::RangeInclusive<usize>) {
        let (min, max) = (*allowed.start(), *allowed.end());
        let message = format!("must have from {min} to {max} entries");
        self.holds(field, allowed.contains(&count), &message, Reason::Entries { min, max });
    }

    fn integer(&mut self, field: &str, value: i64, allowed: std::ops::RangeInclusive<i64>) -> Option<u32> {
        let (min, max) = (*allowed.start(), *allowed.end());
        let message = format!("must be an integer from {min} to {max}");
        self.holds(field, allowed.contains(&value), &message, Reason::Integer { min, max })
            .then(|| u32::try_from(value).expect("the allowed ranges are within u32"))
    }

    fn name(&mut self, field: String, name: &str) -> Option<String> {
        let message = format!("must not be blank and have at most {MAX_NAME_CHARS} characters");
        let fits = !name.trim().is_empty() && name.chars().count() <= MAX_NAME_CHARS;
        self.holds(field, fits, &message, Reason::Name { max: MAX_NAME_CHARS }).then(|| name.to_owned())
    }

    /// Records an error at `field` unless `current` is above `previous` (when both are known).
    fn increasing<T: PartialOrd + fmt::Display>(&mut self, field: String, previous: Option<T>, current: Option<T>) {
        if let (Some(previous), Some(current)) = (previous, current) {
            let message = format!("must be greater than the previous entry's ({previous})");
            self.holds(field, current > previous, &message, Reason::AbovePrevious(previous.to_string()));
        }
    }

    fn order_levels(&mut self, documents: &[OrderLevelDocument]) -> Option<Vec<OrderLevel>> {
        self.count("order_levels", documents.len(), 1..=MAX_ORDER_LEVELS);
        let mut previous_min = None;
        let mut levels = Vec::with_capacity(documents.len());
        for (i, document) in documents.iter().enumerate() {
            let field = |name: &str| format!("order_levels[{i}].{name}");
            let name = self.name(field("name"), &document.name);
            let min_amount = self.parse(field("min_amount"), Money::parse_positive(&document.min_amount), Reason::NotAnAmount);
            let multiplier = self.parse(field("multiplier"), Multiplier::parse(&document.multiplier), Reason::NotAMultiplier);
            self.increasing(field("min_amount"), previous_min, min_amount);
            previous_min = min_amount;
            levels.push(match (name, min_amount, multiplier) {
                (Some(name), Some(min_amount), Some(multiplier)) => Some(OrderLevel { name, min_amount, multiplier }),
                _ => None,
            });
        }
        levels.into_iter().collect()
    }

    fn team_tiers(&mut self, documents: &[TeamTierDocument]) -> Option<Vec<TeamTier>> {
        self.count("team_tiers", documents.len(), 0..=MAX_TEAM_TIERS);
        let (mut previous_min, mut previous_rate) = (None, None);
        let mut tiers = Vec::with_capacity(documents.len());
        for (i, document) in documents.iter().enumerate() {
            let field = |name: &str| format!("team_tiers[{i}].{name}");
            let name = self.name(field("name"), &document.name);
            let min_volume = self.parse(field("min_volume"), Money::parse_positive(&document.min_volume), Reason::NotAnAmount);
            let rate = self.rate(field("rate"), &document.rate);
            self.increasing(field("min_volume"), previous_min, min_volume);
            self.increasing(field("rate"), previous_rate, rate);
            (previous_min, previous_rate) = (min_volume, rate);
            tiers.push(match (name, min_volume, rate) {
                (Some(name), Some(min_volume), Some(rate)) => Some(TeamTier { name, min_volume, rate }),
                _ => None,
            });
        }
        tiers.into_iter().collect()
    }

    fn share_rates(&mut self, documents: &[String]) -> Option<Vec<Rate>> {
        self.count("share_rates", documents.len(), 1..=2);
        let rates: Vec<_> = documents.iter().enumerate().map(|(i, rate)| self.rate(format!("share_rates[{i}]"), rate)).collect();
        rates.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn money(text: &str) -> Money {
        Money::parse(text).unwrap()
    }

    fn defaults() -> Params {
        Params::defaults(BusinessDay::parse("2026-01-10").unwrap())
    }

    fn default_document() -> ParamsDocument {
        ParamsDocument::from(&defaults())
    }

    /// The fields named in the errors of `document` once `change` is applied to it.
    fn refused_fields(change: impl FnOnce(&mut ParamsDocument)) -> Vec<String> {
        let mut document = default_document();
        change(&mut document);
        let errors = Params::parse(document).expect_err("the document should be refused");
        errors.errors.into_iter().map(|error| error.field).collect()
    }

    fn tiers(count: usize) -> Vec<TeamTierDocument> {
        (1..=count)
            .map(|i| TeamTierDocument { name: format!("T{i}"), min_volume: format!("{i}000.00"), rate: format!("0.0{i:02}") })
            .collect()
    }

    #[test]
    fn the_default_document_is_the_one_of_the_spec() {
        let expected = json!({
            "effective_from": "2026-01-10",
            "order_levels": [
                {"name": "初级", "min_amount": "3000.00", "multiplier": "2.5"},
                {"name": "中级", "min_amount": "9000.00", "multiplier": "3"},
                {"name": "高级", "min_amount": "27000.00", "multiplier": "3.5"},
                {"name": "VIP", "min_amount": "51000.00", "multiplier": "4"},
            ],
            "release_rate": "0.012",
            "share_rates": ["0.5", "0.3"],
            "team_tiers": [
                {"name": "青铜", "min_volume": "50000.00", "rate": "0.1"},
                {"name": "白银", "min_volume": "200000.00", "rate": "0.2"},
                {"name": "黄金", "min_volume": "600000.00", "rate": "0.26"},
                {"name": "铂金", "min_volume": "2000000.00", "rate": "0.32"},
                {"name": "钻石", "min_volume": "6000000.00", "rate": "0.38"},
                {"name": "星耀", "min_volume": "15000000.00", "rate": "0.44"},
                {"name": "王者", "min_volume": "30000000.00", "rate": "0.5"},
            ],
            "peer_rate": "0.03",
            "peer_generations": 1,
            "team_max_depth": null,
            "hold_days": 0,
            "points_usage_ratio": "0.5",
            "withdrawal_min": "100.00",
            "withdrawal_fee_rate": "0",
        });
        assert_eq!(serde_json::to_value(defaults()).unwrap(), expected);
    }

    #[test]
    fn parameters_survive_a_json_round_trip() {
        let json = serde_json::to_string(&defaults()).unwrap();
        assert_eq!(serde_json::from_str::<Params>(&json).unwrap(), defaults());
        assert_eq!(Params::from_json(&json), Ok(defaults()));
        let document: ParamsDocument = serde_json::from_str(&json).unwrap();
        assert_eq!(ParamsDocument::from(&Params::parse(document.clone()).unwrap()), document);
    }

    #[test]
    fn a_document_is_made_canonical() {
        let mut document = default_document();
        document.order_levels[0].min_amount = "3000".into();
        document.order_levels[0].multiplier = "2.50".into();
        document.withdrawal_min = "100".into();
        let canonical = ParamsDocument::from(&Params::parse(document).unwrap());
        assert_eq!(canonical, default_document());
    }

    #[test]
    fn unknown_and_missing_fields_are_refused() {
        let mut json = serde_json::to_value(defaults()).unwrap();
        json["bonus"] = json!("1");
        assert!(serde_json::from_value::<ParamsDocument>(json.clone()).is_err());
        let error = Params::from_json(&json.to_string()).unwrap_err();
        assert_eq!(error.errors[0].field, "");
        assert!(error.errors[0].message.contains("unknown field `bonus`"), "{error}");

        let mut json = serde_json::to_value(defaults()).unwrap();
        json["order_levels"][0]["color"] = json!("red");
        assert!(serde_json::from_value::<ParamsDocument>(json).is_err());

        for field in ["team_max_depth", "withdrawal_fee_rate", "share_rates"] {
            let mut json = serde_json::to_value(defaults()).unwrap();
            json.as_object_mut().unwrap().remove(field);
            let error = Params::from_json(&json.to_string()).unwrap_err();
            assert!(error.to_string().contains(&format!("missing field `{field}`")), "{error}");
        }
    }

    #[test]
    fn amounts_and_rates_must_be_json_strings() {
        let mut json = serde_json::to_value(defaults()).unwrap();
        json["release_rate"] = json!(0.012);
        assert!(Params::from_json(&json.to_string()).is_err());
    }

    #[test]
    fn every_bad_field_is_reported_with_its_path_at_once() {
        let errors = Params::parse(ParamsDocument {
            release_rate: "x".into(),
            peer_generations: 11,
            withdrawal_min: "-1".into(),
            ..default_document()
        })
        .unwrap_err();
        assert_eq!(errors.code(), "invalid_params");
        let fields: Vec<_> = errors.errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(fields, ["release_rate", "peer_generations", "withdrawal_min"]);
        assert_eq!(
            errors.to_string(),
            "invalid parameters: release_rate: a rate is a decimal fraction written like \"0.012\"; \
             peer_generations: must be an integer from 0 to 10; \
             withdrawal_min: the amount may not be negative"
        );
    }

    #[test]
    fn the_effective_date_must_be_a_date() {
        assert_eq!(refused_fields(|d| d.effective_from = "2026-02-30".into()), ["effective_from"]);
    }

    #[test]
    fn order_levels_are_required_named_positive_increasing_and_few() {
        assert_eq!(refused_fields(|d| d.order_levels.clear()), ["order_levels"]);
        assert_eq!(refused_fields(|d| d.order_levels[1].name = " ".into()), ["order_levels[1].name"]);
        assert_eq!(refused_fields(|d| d.order_levels[1].name = "级".repeat(33)), ["order_levels[1].name"]);
        assert_eq!(refused_fields(|d| d.order_levels[0].min_amount = "0".into()), ["order_levels[0].min_amount"]);
        assert_eq!(refused_fields(|d| d.order_levels[2].min_amount = "9000".into()), ["order_levels[2].min_amount"]);
        assert_eq!(refused_fields(|d| d.order_levels[3].min_amount = "3000.001".into()), ["order_levels[3].min_amount"]);
        assert_eq!(refused_fields(|d| d.order_levels[0].multiplier = "0".into()), ["order_levels[0].multiplier"]);
        let many = |d: &mut ParamsDocument| {
            d.order_levels = (1..=21)
                .map(|i| OrderLevelDocument { name: format!("L{i}"), min_amount: format!("{i}000"), multiplier: "1".into() })
                .collect();
        };
        assert_eq!(refused_fields(many), ["order_levels"]);
    }

    #[test]
    fn a_decreasing_minimum_names_the_entry_and_the_previous_value() {
        let mut document = default_document();
        document.order_levels[1].min_amount = "2000.00".into();
        let errors = Params::parse(document).unwrap_err().errors;
        assert_eq!(
            errors,
            [FieldError {
                field: "order_levels[1].min_amount".into(),
                message: "must be greater than the previous entry's (3000.00)".into(),
                reason: Reason::AbovePrevious("3000.00".into()),
            }]
        );
    }

    #[test]
    fn the_release_rate_is_above_zero_and_at_most_one() {
        assert_eq!(refused_fields(|d| d.release_rate = "0".into()), ["release_rate"]);
        assert_eq!(refused_fields(|d| d.release_rate = "1.01".into()), ["release_rate"]);
        let mut document = default_document();
        document.release_rate = "1".into();
        assert!(Params::parse(document).is_ok());
    }

    #[test]
    fn there_are_one_or_two_share_rates_each_a_fraction() {
        assert_eq!(refused_fields(|d| d.share_rates.clear()), ["share_rates"]);
        assert_eq!(refused_fields(|d| d.share_rates.push("0.1".into())), ["share_rates"]);
        assert_eq!(refused_fields(|d| d.share_rates[1] = "1.2".into()), ["share_rates[1]"]);
        let mut document = default_document();
        document.share_rates.pop();
        assert_eq!(Params::parse(document).unwrap().share_rates().len(), 1);
    }

    #[test]
    fn team_tiers_are_named_positive_and_increasing_in_volume_and_rate() {
        assert_eq!(refused_fields(|d| d.team_tiers[0].name = "".into()), ["team_tiers[0].name"]);
        assert_eq!(refused_fields(|d| d.team_tiers[0].min_volume = "0.00".into()), ["team_tiers[0].min_volume"]);
        assert_eq!(refused_fields(|d| d.team_tiers[3].min_volume = "600000".into()), ["team_tiers[3].min_volume"]);
        assert_eq!(refused_fields(|d| d.team_tiers[3].rate = "0.26".into()), ["team_tiers[3].rate"]);
        assert_eq!(refused_fields(|d| d.team_tiers[6].rate = "1.1".into()), ["team_tiers[6].rate"]);
        assert_eq!(refused_fields(|d| d.team_tiers = tiers(21)), ["team_tiers"]);
    }

    #[test]
    fn a_scheme_may_have_no_team_tiers_or_up_to_twenty() {
        for count in [0, 20] {
            let mut document = default_document();
            document.team_tiers = tiers(count);
            let params = Params::parse(document).unwrap();
            assert_eq!(params.team_tiers().len(), count);
        }
        let mut document = default_document();
        document.team_tiers.clear();
        assert_eq!(Params::parse(document).unwrap().team_rate(Money::MAX), Rate::ZERO);
    }

    #[test]
    fn the_peer_bonus_settings_are_bounded() {
        assert_eq!(refused_fields(|d| d.peer_rate = "-0.01".into()), ["peer_rate"]);
        assert_eq!(refused_fields(|d| d.peer_generations = -1), ["peer_generations"]);
        assert_eq!(refused_fields(|d| d.peer_generations = 11), ["peer_generations"]);
        let mut document = default_document();
        (document.peer_generations, document.peer_rate) = (0, "0".into());
        assert_eq!(Params::parse(document).unwrap().peer_generations(), 0);
    }

    #[test]
    fn the_team_depth_is_unlimited_or_from_one_to_ten_thousand() {
        assert_eq!(refused_fields(|d| d.team_max_depth = Some(0)), ["team_max_depth"]);
        assert_eq!(refused_fields(|d| d.team_max_depth = Some(10_001)), ["team_max_depth"]);
        for depth in [1, 10_000] {
            let mut document = default_document();
            document.team_max_depth = Some(depth);
            assert_eq!(Params::parse(document).unwrap().team_max_depth(), Some(depth as u32));
        }
        assert_eq!(defaults().team_max_depth(), None);
    }

    #[test]
    fn the_hold_is_zero_to_a_year_a_document_without_it_holds_nothing_and_it_moves_the_start_day() {
        assert_eq!(refused_fields(|d| d.hold_days = -1), ["hold_days"]);
        assert_eq!(refused_fields(|d| d.hold_days = 366), ["hold_days"]);
        let mut json = serde_json::to_value(defaults()).unwrap();
        json.as_object_mut().unwrap().remove("hold_days");
        assert_eq!(Params::from_json(&json.to_string()).unwrap().hold_days(), 0);

        let paid = BusinessDay::parse("2026-02-25").unwrap();
        assert_eq!(defaults().start_day_by_paid_day(paid), paid);
        let mut document = default_document();
        document.hold_days = 7;
        let held = Params::parse(document).unwrap();
        assert_eq!(held.hold_days(), 7);
        assert_eq!(held.start_day_by_paid_day(paid), BusinessDay::parse("2026-03-04").unwrap());
    }

    #[test]
    fn points_usage_and_withdrawal_settings_are_bounded() {
        assert_eq!(refused_fields(|d| d.points_usage_ratio = "2".into()), ["points_usage_ratio"]);
        assert_eq!(refused_fields(|d| d.withdrawal_min = "-1".into()), ["withdrawal_min"]);
        assert_eq!(refused_fields(|d| d.withdrawal_min = "1.005".into()), ["withdrawal_min"]);
        assert_eq!(refused_fields(|d| d.withdrawal_fee_rate = "1".into()), ["withdrawal_fee_rate"]);
        let mut document = default_document();
        (document.withdrawal_min, document.withdrawal_fee_rate) = ("0".into(), "0.999999".into());
        assert_eq!(Params::parse(document).unwrap().withdrawal_min(), Money::ZERO);
    }

    #[test]
    fn worked_example_one_grants_and_releases_exactly() {
        let params = defaults();
        assert_eq!(params.grant(money("3000")), Ok(money("7500")));
        assert_eq!(params.daily_release(money("3000")), money("36"));
        assert_eq!(params.grant(money("9000")), Ok(money("27000")));
        assert_eq!(params.daily_release(money("9000")), money("108"));
    }

    #[test]
    fn an_order_uses_the_highest_level_it_reaches() {
        let params = defaults();
        let level = |amount| params.order_level(money(amount)).map(|level| level.name.as_str());
        assert_eq!(level("2999.99"), None);
        assert_eq!(level("3000"), Some("初级"));
        assert_eq!(level("8999.99"), Some("初级"));
        assert_eq!(level("9000"), Some("中级"));
        assert_eq!(level("51000"), Some("VIP"));
        assert_eq!(params.grant(money("2999.99")), Ok(Money::ZERO));
        assert_eq!(params.grant(money("3000.01")), Ok(money("7500.02")));
        assert_eq!(params.grant(money("27000")), Ok(money("94500")));
        assert_eq!(params.grant(money("51000")), Ok(money("204000")));
    }

    #[test]
    fn a_grant_above_the_largest_amount_is_refused() {
        assert_eq!(defaults().grant(Money::MAX), Err(MoneyError::AmountTooLarge));
    }

    #[test]
    fn a_team_volume_reaches_the_highest_tier_whose_threshold_it_meets() {
        let params = defaults();
        let tier = |volume| params.tier(money(volume)).map(|tier| tier.name.as_str());
        assert_eq!(tier("0"), None);
        assert_eq!(tier("49999.99"), None);
        assert_eq!(params.team_rate(money("49999.99")), Rate::ZERO);
        assert_eq!(tier("50000.00"), Some("青铜"));
        assert_eq!(params.team_rate(money("50000.00")), Rate::parse("0.1").unwrap());
        assert_eq!(tier("199999.99"), Some("青铜"));
        assert_eq!(params.tier_index(money("200000")), Some(1));
        assert_eq!(tier("29999999.99"), Some("星耀"));
        assert_eq!(tier("30000000.00"), Some("王者"));
        assert_eq!(params.team_rate(Money::MAX), Rate::parse("0.5").unwrap());
    }

    #[test]
    fn the_next_tier_is_the_lowest_above_the_volume_with_what_is_missing_and_the_percent_reached() {
        let params = defaults();
        let progress = |volume| params.next_tier(money(volume)).map(|next| (next.tier.name.as_str(), next.needed, next.percent));
        assert_eq!(progress("0"), Some(("青铜", money("50000"), 0)));
        assert_eq!(progress("3000"), Some(("青铜", money("47000"), 6)));
        assert_eq!(progress("49999.99"), Some(("青铜", money("0.01"), 99)), "rounded down");
        assert_eq!(progress("50000"), Some(("白银", money("150000"), 25)), "a tier reached points to the next");
        assert_eq!(progress("29999999.99"), Some(("王者", money("0.01"), 99)));
        assert_eq!(progress("30000000"), None, "nothing above the highest tier");
        assert_eq!(params.next_tier(Money::MAX), None);
    }

    #[test]
    fn at_most_half_an_order_may_be_paid_with_points_rounded_down() {
        let params = defaults();
        assert_eq!(params.max_points_paid(money("3000")), money("1500"));
        assert_eq!(params.max_points_paid(money("3000.01")), money("1500.00"));
        assert_eq!(params.max_points_paid(money("0.01")), Money::ZERO);
    }
}
