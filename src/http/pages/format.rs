//! How the pages write amounts and instants for people: 12,345.67 and 2026-11-25 08:30 in the
//! scheme's time zone. Templates write every amount with the `money` filter.
use chrono_tz::Tz;

use crate::domain::audit::Actor;
use crate::domain::money::Money;
use crate::domain::payout_account::{AccountKind, Masked};
use crate::http::pages::i18n::Text;

/// An amount as the pages hold it: fen as the graph sums them (`i64`), or [`Money`].
pub trait Amount {
    fn fen(&self) -> i64;
}

impl Amount for i64 {
    fn fen(&self) -> i64 {
        *self
    }
}

impl Amount for Money {
    fn fen(&self) -> i64 {
        Money::fen(*self)
    }
}

// Templates hand their values to filters by reference.
impl<A: Amount + ?Sized> Amount for &A {
    fn fen(&self) -> i64 {
        (**self).fen()
    }
}

/// The templates' own filters. Askama looks for them as `filters` in the module that derives a
/// page's template, so such a module has `use crate::http::pages::format::filters;`.
pub mod filters {
    use std::str::FromStr;

    use rust_decimal::Decimal;

    use super::{Amount, grouped, percent, yuan};

    /// `{{ amount|money }}`: an amount as every page writes it, 12,345.67.
    #[askama::filter_fn]
    pub fn money<A: Amount>(amount: A, _: &dyn askama::Values) -> askama::Result<String> {
        Ok(yuan(amount.fen()))
    }

    /// `{{ "1234.5678"|exact }}`: an exact amount before rounding (the API's decimal text, as many
    /// decimals as it has) with thousands separators, 1,234.5678.
    #[askama::filter_fn]
    pub fn exact(text: &str, _: &dyn askama::Values) -> askama::Result<String> {
        let (sign, magnitude) = text.strip_prefix('-').map_or(("", text), |rest| ("-", rest));
        let (whole, decimals) = magnitude.split_once('.').unwrap_or((magnitude, ""));
        let point = if decimals.is_empty() { "" } else { "." };
        Ok(format!("{sign}{}{point}{decimals}", grouped(whole)))
    }

    /// `{{ "0.12"|rate_percent }}`: a rate that the API writes as a decimal fraction, as people read it, 12%.
    #[askama::filter_fn]
    pub fn rate_percent(fraction: &str, _: &dyn askama::Values) -> askama::Result<String> {
        Decimal::from_str(fraction).map(percent).map_err(|e| askama::Error::Custom(Box::new(e)))
    }
}

/// Digits with a comma between each group of three from the right: 1234567 → 1,234,567.
fn grouped(digits: &str) -> String {
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// An amount in fen as yuan with thousands separators and two decimals: what the `money` filter
/// writes, and what a message carrying an amount outside a template uses (a refused withdrawal's
/// minimum).
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let magnitude = fen.unsigned_abs();
    format!("{sign}{}.{:02}", grouped(&(magnitude / 100).to_string()), magnitude % 100)
}

/// Who did something, in the reader's language (`管理员 ops` for `admin:ops`); text no actor is
/// stored as is shown as it is.
pub fn actor(stored: &str, t: &Text) -> String {
    match Actor::parse(stored) {
        Some(Actor::Admin(username)) => format!("{} {username}", t.actor_admin),
        Some(Actor::ApiKey(id)) => format!("{} {}", t.actor_api_key, short_key_id(&id)),
        Some(Actor::Member(phone)) => format!("{} {phone}", t.actor_member),
        Some(Actor::CommandLine) => t.actor_cli.to_string(),
        None => stored.to_string(),
    }
}

/// The first 8 characters of an API key's id, as the API keys page lists it next to the name:
/// enough to tell the keys apart, short enough for a table cell.
pub fn short_key_id(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

/// A rate as people read it: `0.012` → `1.2%`, `0.5` → `50%`.
pub fn percent(rate: rust_decimal::Decimal) -> String {
    format!("{}%", (rate * rust_decimal::Decimal::ONE_HUNDRED).normalize())
}

/// A payout account as pages show it: `张* · 中国银行 ···· 0128`, `张* · 支付宝 138****0001`; a
/// withdrawal without one goes through the mall's channel.
pub fn payout_account(masked: Option<&Masked>, t: &Text) -> String {
    match masked {
        None => t.account_none.to_string(),
        Some(m) => match m.kind {
            AccountKind::BankCard => format!("{} · {} {}", m.name, m.bank, m.number),
            AccountKind::Alipay => format!("{} · {} {}", m.name, t.account_alipay, m.number),
        },
    }
}

/// Milliseconds since the epoch as local date and time to the minute (or seconds, for logs).
pub fn local_time(ms: i64, tz: Tz, with_seconds: bool) -> String {
    let Some(at) = chrono::DateTime::from_timestamp_millis(ms) else { return "?".into() };
    let pattern = if with_seconds { "%Y-%m-%d %H:%M:%S" } else { "%Y-%m-%d %H:%M" };
    at.with_timezone(&tz).format(pattern).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_rate_reads_as_a_percentage_without_trailing_zeros() {
        use rust_decimal_macros::dec;
        assert_eq!(super::percent(dec!(0.012)), "1.2%");
        assert_eq!(super::percent(dec!(0.50)), "50%");
        assert_eq!(super::percent(dec!(0.0325)), "3.25%");
        assert_eq!(super::percent(dec!(0)), "0%");
    }

    use askama::Template;

    use super::{filters, yuan};
    use crate::domain::money::Money;

    #[derive(Template)]
    #[template(source = "{{ fen|money }} {{ money|money }} {% for f in list %}{{ f|money }}{% endfor %}", ext = "html")]
    struct Amounts {
        fen: i64,
        money: Money,
        list: Vec<i64>,
    }

    #[test]
    fn amounts_are_grouped_by_thousands_with_two_decimals() {
        assert_eq!(yuan(0), "0.00");
        assert_eq!(yuan(5), "0.05");
        assert_eq!(yuan(123_456), "1,234.56");
        assert_eq!(yuan(100_000_000), "1,000,000.00");
        assert_eq!(yuan(-123_456_789), "-1,234,567.89");
    }

    #[test]
    fn the_money_filter_writes_fen_and_money_alike() {
        let page = Amounts { fen: 123_456, money: Money::from_fen(123_456).unwrap(), list: vec![-5] };
        assert_eq!(page.render().unwrap(), "1,234.56 1,234.56 -0.05");
    }

    #[derive(Template)]
    #[template(
        source = "{% for e in exact %}{{ e.as_str()|exact }} {% endfor %}{% for r in rates %}{{ r.as_str()|rate_percent }} {% endfor %}",
        ext = "html"
    )]
    struct Exact {
        exact: Vec<String>,
        rates: Vec<String>,
    }

    #[test]
    fn exact_amounts_keep_every_decimal_with_thousands_separators_and_rates_read_as_percentages() {
        let strings = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
        let page = Exact { exact: strings(&["1234567.12345678", "0.5", "-1000", "999.00"]), rates: strings(&["0.12", "0.012", "0"]) };
        assert_eq!(page.render().unwrap(), "1,234,567.12345678 0.5 -1,000 999.00 12% 1.2% 0% ");
    }
}
