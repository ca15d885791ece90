//! Amounts of yuan (points are worth one yuan each), rates and multipliers, all exact decimals
//! written as plain strings ("36.00", "0.012", "2.5"): no sign but '-', no exponent, no spaces.

use crate::domain::error_code::ErrorCode;
use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use rust_decimal_macros::dec;
use thiserror::Error;

/// `Money::MAX` in fen: ten trillion yuan. A single order never comes near it, but team volumes
/// and totals over a million members must fit too; i64 still has room for sums of thousands of
/// maximal amounts (the graph sums fen with Cypher `sum()`).
const MAX_FEN: i64 = 1_000_000_000_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum MoneyError {
    #[error("an amount is written like \"36.00\": digits, then optionally a point and one or two decimals")]
    InvalidAmount,
    #[error("the amount may not be negative")]
    AmountNegative,
    #[error("the amount must be greater than zero")]
    AmountNotPositive,
    #[error("the amount may not be zero")]
    AmountZero,
    #[error("an amount has at most two decimals (fen)")]
    TooManyDecimals,
    #[error("the amount is above the maximum of {}", Money::MAX)]
    AmountTooLarge,
}

impl MoneyError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::InvalidAmount => ErrorCode::InvalidAmount,
            Self::AmountNegative => ErrorCode::AmountNegative,
            Self::AmountNotPositive => ErrorCode::AmountNotPositive,
            Self::AmountZero => ErrorCode::AmountZero,
            Self::TooManyDecimals => ErrorCode::TooManyDecimals,
            Self::AmountTooLarge => ErrorCode::AmountTooLarge,
        }
    }
}

/// Rounds down to the fen (toward negative infinity, so never up), with scale 2.
pub fn floor_fen(value: Decimal) -> Decimal {
    let mut floored = value.round_dp_with_strategy(2, RoundingStrategy::ToNegativeInfinity);
    floored.rescale(2);
    floored
}

/// A non-negative amount of yuan with exactly two decimals, at most [`Money::MAX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(Decimal); // scale always 2, so the mantissa is the amount in fen

/// Zero (an amount that nothing moved).
impl Default for Money {
    fn default() -> Money {
        Money::ZERO
    }
}

impl Money {
    pub const ZERO: Money = Money(dec!(0.00));
    pub const MAX: Money = Money(dec!(10000000000000.00));

    pub fn from_fen(fen: i64) -> Result<Money, MoneyError> {
        if fen < 0 {
            Err(MoneyError::AmountNegative)
        } else if fen > MAX_FEN {
            Err(MoneyError::AmountTooLarge)
        } else {
            Ok(Money(Decimal::new(fen, 2)))
        }
    }

    /// The amount of a computed credit: `value` rounded down to the fen.
    pub fn floor_from(value: Decimal) -> Result<Money, MoneyError> {
        Money::from_fen(fen_of(floor_fen(value))?)
    }

    /// Parses "36", "36.5" or "36.50".
    pub fn parse(text: &str) -> Result<Money, MoneyError> {
        let value = parse_plain_decimal(text, 2).map_err(MoneyError::from)?;
        // Not even "-0": an amount of money is written without a sign.
        if text.starts_with('-') {
            return Err(MoneyError::AmountNegative);
        }
        Money::from_fen(fen_of(value)?)
    }

    /// Like [`Money::parse`], and also refuses zero (order amounts, withdrawals).
    pub fn parse_positive(text: &str) -> Result<Money, MoneyError> {
        let amount = Money::parse(text)?;
        if amount.is_zero() { Err(MoneyError::AmountNotPositive) } else { Ok(amount) }
    }

    pub fn fen(self) -> i64 {
        i64::try_from(self.0.mantissa()).expect("Money holds at most MAX_FEN fen at scale 2")
    }

    pub fn as_decimal(self) -> Decimal {
        self.0
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// `None` above [`Money::MAX`].
    pub fn checked_add(self, other: Money) -> Option<Money> {
        Money::from_fen(self.fen() + other.fen()).ok()
    }

    /// `None` when `other` is larger than `self`.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        Money::from_fen(self.fen() - other.fen()).ok()
    }

    /// `rate × self`, rounded down to the fen.
    pub fn floor_times(self, rate: Rate) -> Money {
        Money::floor_from(rate.0 * self.0).expect("a fraction in [0, 1] of an amount is an amount")
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fen = self.fen();
        write!(f, "{}.{:02}", fen / 100, fen % 100)
    }
}

impl FromStr for Money {
    type Err = MoneyError;

    fn from_str(text: &str) -> Result<Money, MoneyError> {
        Money::parse(text)
    }
}

serde_as_string!(Money);

/// A non-zero signed amount with two decimals, for admin adjustments: "+100.00", "-50.00"
/// (an unsigned amount is positive). Its magnitude is at most [`Money::MAX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SignedMoney(Decimal); // scale always 2, never zero

impl SignedMoney {
    pub fn from_fen(fen: i64) -> Result<SignedMoney, MoneyError> {
        if fen == 0 {
            Err(MoneyError::AmountZero)
        } else if fen.unsigned_abs() > MAX_FEN.unsigned_abs() {
            Err(MoneyError::AmountTooLarge)
        } else {
            Ok(SignedMoney(Decimal::new(fen, 2)))
        }
    }

    pub fn parse(text: &str) -> Result<SignedMoney, MoneyError> {
        // A '+' may only stand where a '-' could: "+-5" stays malformed.
        let unsigned = text.strip_prefix('+').filter(|rest| !rest.starts_with('-'));
        let value = parse_plain_decimal(unsigned.unwrap_or(text), 2).map_err(MoneyError::from)?;
        SignedMoney::from_fen(fen_of(value)?)
    }

    pub fn fen(self) -> i64 {
        i64::try_from(self.0.mantissa()).expect("SignedMoney holds at most MAX_FEN fen at scale 2")
    }

    pub fn as_decimal(self) -> Decimal {
        self.0
    }

    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative()
    }

    pub fn magnitude(self) -> Money {
        Money(self.0.abs())
    }
}

impl fmt::Display for SignedMoney {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.is_negative() { '-' } else { '+' };
        write!(f, "{sign}{}", self.magnitude())
    }
}

impl FromStr for SignedMoney {
    type Err = MoneyError;

    fn from_str(text: &str) -> Result<SignedMoney, MoneyError> {
        SignedMoney::parse(text)
    }
}

serde_as_string!(SignedMoney);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum RateError {
    #[error("a rate is a decimal fraction written like \"0.012\"")]
    InvalidRate,
    #[error("a rate has at most {} decimals", Rate::MAX_DECIMALS)]
    TooManyDecimals,
    #[error("a rate must be between 0 and 1")]
    RateOutOfRange,
}

impl RateError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::InvalidRate => ErrorCode::InvalidRate,
            Self::TooManyDecimals => ErrorCode::TooManyDecimals,
            Self::RateOutOfRange => ErrorCode::RateOutOfRange,
        }
    }
}

/// A fraction in [0, 1] with at most six decimals ("0.012" is 1.2%). Kept normalised ("0.10"
/// is stored and printed as "0.1"), so equal rates always print the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rate(Decimal);

impl Rate {
    pub const ZERO: Rate = Rate(Decimal::ZERO);
    pub const ONE: Rate = Rate(Decimal::ONE);
    pub const MAX_DECIMALS: u32 = 6;

    pub fn parse(text: &str) -> Result<Rate, RateError> {
        let value = parse_plain_decimal(text, Rate::MAX_DECIMALS).map_err(|syntax| match syntax {
            Syntax::Malformed => RateError::InvalidRate,
            Syntax::TooManyDecimals => RateError::TooManyDecimals,
            Syntax::TooLarge => RateError::RateOutOfRange,
        })?;
        if (Decimal::ZERO..=Decimal::ONE).contains(&value) { Ok(Rate(value.normalize())) } else { Err(RateError::RateOutOfRange) }
    }

    pub fn as_decimal(self) -> Decimal {
        self.0
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// The rate in millionths, exact because a rate has at most six decimals: the settlement
    /// engine computes with integers (fen × millionths) and rounds down once at the end.
    pub fn micros(self) -> i64 {
        use rust_decimal::prelude::ToPrimitive;
        (self.0 * Decimal::from(1_000_000)).to_i64().expect("a rate in [0, 1] is at most a million millionths")
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for Rate {
    type Err = RateError;

    fn from_str(text: &str) -> Result<Rate, RateError> {
        Rate::parse(text)
    }
}

serde_as_string!(Rate);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum MultiplierError {
    #[error("a multiplier is a decimal number written like \"2.5\"")]
    InvalidMultiplier,
    #[error("a multiplier has at most {} decimals", Multiplier::MAX_DECIMALS)]
    TooManyDecimals,
    #[error("a multiplier must be greater than 0 and at most 100")]
    MultiplierOutOfRange,
}

impl MultiplierError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::InvalidMultiplier => ErrorCode::InvalidMultiplier,
            Self::TooManyDecimals => ErrorCode::TooManyDecimals,
            Self::MultiplierOutOfRange => ErrorCode::MultiplierOutOfRange,
        }
    }
}

/// The points granted per yuan of an order level: in (0, 100], at most six decimals,
/// normalised like [`Rate`] ("3.0" is "3").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Multiplier(Decimal);

impl Multiplier {
    pub const MAX_DECIMALS: u32 = 6;

    pub fn parse(text: &str) -> Result<Multiplier, MultiplierError> {
        let value = parse_plain_decimal(text, Multiplier::MAX_DECIMALS).map_err(|syntax| match syntax {
            Syntax::Malformed => MultiplierError::InvalidMultiplier,
            Syntax::TooManyDecimals => MultiplierError::TooManyDecimals,
            Syntax::TooLarge => MultiplierError::MultiplierOutOfRange,
        })?;
        if value > Decimal::ZERO && value <= Decimal::ONE_HUNDRED {
            Ok(Multiplier(value.normalize()))
        } else {
            Err(MultiplierError::MultiplierOutOfRange)
        }
    }

    pub fn as_decimal(self) -> Decimal {
        self.0
    }
}

impl fmt::Display for Multiplier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for Multiplier {
    type Err = MultiplierError;

    fn from_str(text: &str) -> Result<Multiplier, MultiplierError> {
        Multiplier::parse(text)
    }
}

serde_as_string!(Multiplier);

/// Why a text is not a plain decimal.
enum Syntax {
    Malformed,
    TooManyDecimals,
    TooLarge,
}

impl From<Syntax> for MoneyError {
    fn from(syntax: Syntax) -> MoneyError {
        match syntax {
            Syntax::Malformed => MoneyError::InvalidAmount,
            Syntax::TooManyDecimals => MoneyError::TooManyDecimals,
            Syntax::TooLarge => MoneyError::AmountTooLarge,
        }
    }
}

/// More integer digits than this are too large for any of our quantities, and the check keeps
/// the mantissa far inside `Decimal`'s 96 bits.
const MAX_INTEGER_DIGITS: usize = 18;

/// Parses `[-]digits[.digits]` with at most `max_decimals` decimals (counted as written, so
/// "1.230" has three). Anything else is malformed: '+', spaces, exponents, "NaN", "inf", ".5",
/// "5.".
fn parse_plain_decimal(text: &str, max_decimals: u32) -> Result<Decimal, Syntax> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (integer, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let is_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    let has_point = integer.len() < unsigned.len();
    if !is_digits(integer) || (has_point && !is_digits(fraction)) {
        return Err(Syntax::Malformed);
    }
    if fraction.len() > max_decimals as usize {
        return Err(Syntax::TooManyDecimals);
    }
    if integer.trim_start_matches('0').len() > MAX_INTEGER_DIGITS {
        return Err(Syntax::TooLarge);
    }
    let mantissa = integer.bytes().chain(fraction.bytes()).fold(0_i128, |mantissa, digit| mantissa * 10 + i128::from(digit - b'0'));
    let value = Decimal::from_i128_with_scale(mantissa, fraction.len() as u32);
    Ok(if negative && !value.is_zero() { -value } else { value })
}

/// The fen in a value of at most two decimals; too large when they do not fit an i64 (then
/// `rescale` may not even reach scale 2, but the mantissa is larger still).
fn fen_of(mut value: Decimal) -> Result<i64, MoneyError> {
    value.rescale(2);
    i64::try_from(value.mantissa()).map_err(|_| MoneyError::AmountTooLarge)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_rate_in_millionths_is_exact() {
        assert_eq!(Rate::parse("0.012").unwrap().micros(), 12_000);
        assert_eq!(Rate::parse("0.000001").unwrap().micros(), 1);
        assert_eq!(Rate::ONE.micros(), 1_000_000);
        assert_eq!(Rate::ZERO.micros(), 0);
    }

    fn money(text: &str) -> Money {
        Money::parse(text).unwrap()
    }

    #[test]
    fn amounts_with_zero_one_or_two_decimals_are_accepted() {
        assert_eq!(money("36").fen(), 3600);
        assert_eq!(money("36.5").fen(), 3650);
        assert_eq!(money("36.50").fen(), 3650);
        assert_eq!(money("0.05").fen(), 5);
        assert_eq!(money("0").fen(), 0);
        assert_eq!(money("007.10").fen(), 710);
    }

    #[test]
    fn an_amount_always_prints_with_two_decimals() {
        assert_eq!(money("36").to_string(), "36.00");
        assert_eq!(money("36.5").to_string(), "36.50");
        assert_eq!(money("0.05").to_string(), "0.05");
        assert_eq!(Money::ZERO.to_string(), "0.00");
        assert_eq!(money("36").as_decimal().scale(), 2);
    }

    #[test]
    fn text_that_is_not_a_plain_decimal_is_an_invalid_amount() {
        for text in ["", " ", "abc", "1e3", "1E3", "NaN", "inf", "+5", " 5", "5 ", ".5", "5.", "1.2.3", "1,5", "--5", "-", "٣", "５"] {
            assert_eq!(Money::parse(text), Err(MoneyError::InvalidAmount), "{text:?}");
        }
    }

    #[test]
    fn a_negative_amount_is_refused_as_negative() {
        assert_eq!(Money::parse("-5"), Err(MoneyError::AmountNegative));
        assert_eq!(Money::parse("-0.01").unwrap_err().code(), "amount_negative");
    }

    #[test]
    fn an_amount_with_three_decimals_is_refused_even_with_trailing_zeros() {
        assert_eq!(Money::parse("1.234"), Err(MoneyError::TooManyDecimals));
        assert_eq!(Money::parse("1.230").unwrap_err().code(), "too_many_decimals");
    }

    #[test]
    fn an_amount_above_the_maximum_is_refused() {
        assert_eq!(Money::MAX.to_string(), "10000000000000.00");
        assert_eq!(Money::MAX.fen(), MAX_FEN);
        assert_eq!(Money::parse("10000000000000.00"), Ok(Money::MAX));
        assert_eq!(Money::parse("10000000000000.01"), Err(MoneyError::AmountTooLarge));
        assert_eq!(Money::parse(&"9".repeat(40)).unwrap_err().code(), "amount_too_large");
        assert_eq!(Money::from_fen(MAX_FEN + 1), Err(MoneyError::AmountTooLarge));
        assert_eq!(Money::from_fen(-1), Err(MoneyError::AmountNegative));
    }

    #[test]
    fn a_positive_amount_refuses_zero() {
        assert_eq!(Money::parse_positive("0.00").unwrap_err().code(), "amount_not_positive");
        assert_eq!(Money::parse_positive("0.01"), Ok(money("0.01")));
    }

    #[test]
    fn sums_stay_within_bounds_and_differences_stay_non_negative() {
        assert_eq!(money("1.50").checked_add(money("2.55")), Some(money("4.05")));
        assert_eq!(Money::MAX.checked_add(money("0.01")), None);
        assert_eq!(money("5").checked_sub(money("4.99")), Some(money("0.01")));
        assert_eq!(money("5").checked_sub(money("5.01")), None);
        assert_eq!(money("5").min(money("4.99")), money("4.99"));
    }

    #[test]
    fn floor_fen_rounds_down_to_the_fen() {
        assert_eq!(floor_fen(dec!(0.012) * dec!(3000.00)), dec!(36.00));
        assert_eq!(floor_fen(dec!(2.5) * dec!(3000.01)), dec!(7500.02));
        assert_eq!(floor_fen(dec!(0.019999)), dec!(0.01));
        assert_eq!(floor_fen(dec!(7)).to_string(), "7.00");
        assert_eq!(floor_fen(dec!(-0.001)), dec!(-0.01));
    }

    #[test]
    fn a_credit_is_the_exact_value_rounded_down() {
        assert_eq!(Money::floor_from(dec!(7500.025)), Ok(money("7500.02")));
        assert_eq!(Money::floor_from(dec!(0.009)), Ok(Money::ZERO));
        assert_eq!(Money::floor_from(dec!(-0.01)), Err(MoneyError::AmountNegative));
        assert_eq!(Money::floor_from(Money::MAX.as_decimal() + dec!(0.01)), Err(MoneyError::AmountTooLarge));
        assert_eq!(money("3000").floor_times(Rate::parse("0.012").unwrap()), money("36"));
        assert_eq!(money("0.99").floor_times(Rate::parse("0.5").unwrap()), money("0.49"));
    }

    #[test]
    fn money_is_a_json_string_and_never_a_json_number() {
        assert_eq!(serde_json::to_string(&money("36")).unwrap(), r#""36.00""#);
        assert_eq!(serde_json::from_str::<Money>(r#""36.5""#).unwrap(), money("36.50"));
        assert!(serde_json::from_str::<Money>("36.5").is_err());
        let error = serde_json::from_str::<Money>(r#""1.234""#).unwrap_err();
        assert!(error.to_string().contains("at most two decimals"), "{error}");
    }

    #[test]
    fn a_signed_amount_keeps_its_sign_and_prints_it() {
        let credit = SignedMoney::parse("+100.00").unwrap();
        assert_eq!((credit.fen(), credit.is_negative()), (10_000, false));
        assert_eq!(SignedMoney::parse("100").unwrap(), credit);
        let debit = SignedMoney::parse("-50").unwrap();
        assert_eq!((debit.fen(), debit.is_negative()), (-5_000, true));
        assert_eq!(debit.magnitude(), money("50"));
        assert_eq!(credit.to_string(), "+100.00");
        assert_eq!(debit.to_string(), "-50.00");
        assert_eq!(serde_json::to_string(&debit).unwrap(), r#""-50.00""#);
        assert_eq!(serde_json::from_str::<SignedMoney>(r#""-50.00""#).unwrap(), debit);
    }

    #[test]
    fn a_signed_amount_refuses_zero_doubled_signs_and_excess() {
        assert_eq!(SignedMoney::parse("-0.00").unwrap_err().code(), "amount_zero");
        assert_eq!(SignedMoney::parse("+0"), Err(MoneyError::AmountZero));
        assert_eq!(SignedMoney::parse("+-5"), Err(MoneyError::InvalidAmount));
        assert_eq!(SignedMoney::parse("-+5"), Err(MoneyError::InvalidAmount));
        assert_eq!(SignedMoney::parse("++5"), Err(MoneyError::InvalidAmount));
        assert_eq!(SignedMoney::parse("-1.001"), Err(MoneyError::TooManyDecimals));
        assert_eq!(SignedMoney::parse("-10000000000000.01"), Err(MoneyError::AmountTooLarge));
        assert_eq!(SignedMoney::from_fen(-MAX_FEN).unwrap().magnitude(), Money::MAX);
    }

    #[test]
    fn a_rate_is_a_fraction_between_zero_and_one() {
        assert_eq!(Rate::parse("0.012").unwrap().as_decimal(), dec!(0.012));
        assert_eq!(Rate::parse("0"), Ok(Rate::ZERO));
        assert_eq!(Rate::parse("1.000"), Ok(Rate::ONE));
        assert_eq!(Rate::parse("1.000001"), Err(RateError::RateOutOfRange));
        assert_eq!(Rate::parse("-0.1").unwrap_err().code(), "rate_out_of_range");
        assert_eq!(Rate::parse("0.0000001").unwrap_err().code(), "too_many_decimals");
        assert_eq!(Rate::parse("12%").unwrap_err().code(), "invalid_rate");
        assert_eq!(Rate::parse("1e-2"), Err(RateError::InvalidRate));
    }

    #[test]
    fn a_rate_prints_in_its_shortest_form() {
        assert_eq!(Rate::parse("0.10").unwrap().to_string(), "0.1");
        assert_eq!(Rate::parse("0.5").unwrap().to_string(), "0.5");
        assert_eq!(Rate::parse("0.000").unwrap().to_string(), "0");
        assert_eq!(serde_json::to_string(&Rate::parse("0.012").unwrap()).unwrap(), r#""0.012""#);
        assert!(serde_json::from_str::<Rate>("0.5").is_err());
    }

    #[test]
    fn a_multiplier_is_positive_and_at_most_one_hundred() {
        assert_eq!(Multiplier::parse("2.5").unwrap().as_decimal(), dec!(2.5));
        assert_eq!(Multiplier::parse("3.0").unwrap().to_string(), "3");
        assert_eq!(Multiplier::parse("100").unwrap().to_string(), "100");
        assert_eq!(Multiplier::parse("0"), Err(MultiplierError::MultiplierOutOfRange));
        assert_eq!(Multiplier::parse("100.01").unwrap_err().code(), "multiplier_out_of_range");
        assert_eq!(Multiplier::parse("x2").unwrap_err().code(), "invalid_multiplier");
    }

    proptest! {
        #[test]
        fn every_amount_survives_printing_and_parsing(fen in 0..=MAX_FEN) {
            let amount = Money::from_fen(fen).unwrap();
            prop_assert_eq!(Money::parse(&amount.to_string()), Ok(amount));
            prop_assert_eq!(amount.fen(), fen);
        }

        #[test]
        fn every_signed_amount_survives_printing_and_parsing(fen in -MAX_FEN..=MAX_FEN) {
            prop_assume!(fen != 0);
            let amount = SignedMoney::from_fen(fen).unwrap();
            prop_assert_eq!(SignedMoney::parse(&amount.to_string()), Ok(amount));
        }

        #[test]
        fn parsing_reads_the_written_digits(integer in 0_i64..=99_999_999_999, fraction in "[0-9]{0,2}") {
            let text = if fraction.is_empty() { integer.to_string() } else { format!("{integer}.{fraction}") };
            let fen = integer * 100 + format!("{fraction:0<2}").parse::<i64>().unwrap();
            prop_assert_eq!(Money::parse(&text).unwrap().fen(), fen);
        }

        #[test]
        fn floor_fen_is_at_most_the_value_and_less_than_one_fen_below(
            mantissa in 0_i64..=i64::MAX, scale in 0_u32..=12,
        ) {
            let value = Decimal::new(mantissa, scale);
            let floored = floor_fen(value);
            prop_assert!(floored <= value);
            prop_assert!(value - floored < dec!(0.01));
            prop_assert_eq!(floored.scale(), 2);
        }
    }
}
