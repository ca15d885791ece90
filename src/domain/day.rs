//! The business day: a calendar date in the scheme's time zone. The domain never reads the
//! clock; callers pass the instant they mean.

use crate::domain::error_code::ErrorCode;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("a date is written YYYY-MM-DD and must exist in the calendar")]
pub struct DayError;

impl DayError {
    pub fn code(&self) -> ErrorCode {
        ErrorCode::InvalidDate
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BusinessDay(NaiveDate);

impl BusinessDay {
    /// Parses exactly `YYYY-MM-DD` (chrono alone would also take "2026-1-5").
    pub fn parse(text: &str) -> Result<BusinessDay, DayError> {
        let bytes = text.as_bytes();
        let zero_padded = bytes.len() == 10
            && bytes.iter().enumerate().all(|(i, b)| match i {
                4 | 7 => *b == b'-',
                _ => b.is_ascii_digit(),
            });
        if !zero_padded {
            return Err(DayError);
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d").map(BusinessDay).map_err(|_| DayError)
    }

    /// A day as the command line and the API take it: `YYYY-MM-DD`, `today`, or `today-N` (N, of
    /// at most five digits, days before `today`).
    pub fn parse_relative(text: &str, today: BusinessDay) -> Result<BusinessDay, DayError> {
        let days_before = match text.strip_prefix("today") {
            Some("") => 0,
            Some(rest) => match rest.strip_prefix('-') {
                Some(n) if (1..=5).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()) => n.parse::<u64>().map_err(|_| DayError)?,
                _ => return Err(DayError),
            },
            None => return BusinessDay::parse(text),
        };
        today.0.checked_sub_days(chrono::Days::new(days_before)).map(BusinessDay).ok_or(DayError)
    }

    /// The day in `tz` on which `instant` falls.
    pub fn of(instant: DateTime<Utc>, tz: Tz) -> BusinessDay {
        BusinessDay(instant.with_timezone(&tz).date_naive())
    }

    pub fn from_date(date: NaiveDate) -> BusinessDay {
        BusinessDay(date)
    }

    pub fn date(self) -> NaiveDate {
        self.0
    }

    /// # Panics
    /// On chrono's first representable date, which no real day reaches.
    pub fn pred(self) -> BusinessDay {
        BusinessDay(self.0.pred_opt().expect("the day before a business day exists"))
    }

    /// # Panics
    /// On chrono's last representable date (year 262143), which no real day reaches.
    pub fn succ(self) -> BusinessDay {
        BusinessDay(self.0.succ_opt().expect("the day after a business day exists"))
    }

    /// The day `days` after this one.
    ///
    /// # Panics
    /// Past chrono's last representable date, which no real day plus a hold reaches.
    pub fn plus_days(self, days: u32) -> BusinessDay {
        BusinessDay(self.0.checked_add_days(chrono::Days::new(days.into())).expect("the day exists"))
    }

    /// The first instant of the day in `tz`: local midnight or, where a daylight-saving jump
    /// skips midnight, the first local time after it (and the earlier one where midnight
    /// happens twice). An order is in day D's settlement when paid before `D.start_utc(tz)`.
    pub fn start_utc(self, tz: Tz) -> DateTime<Utc> {
        let midnight = self.0.and_time(NaiveTime::MIN);
        (0..24 * 60)
            .find_map(|minute| tz.from_local_datetime(&(midnight + TimeDelta::minutes(minute))).earliest())
            .expect("no time zone skips a whole day")
            .with_timezone(&Utc)
    }
}

impl fmt::Display for BusinessDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl FromStr for BusinessDay {
    type Err = DayError;

    fn from_str(text: &str) -> Result<BusinessDay, DayError> {
        BusinessDay::parse(text)
    }
}

impl From<NaiveDate> for BusinessDay {
    fn from(date: NaiveDate) -> BusinessDay {
        BusinessDay(date)
    }
}

serde_as_string!(BusinessDay);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("a time is written in RFC 3339 with its offset, like \"2026-01-10T08:30:00+08:00\"")]
pub struct InstantError;

impl InstantError {
    /// The API receives one instant, an order's `paid_at`.
    pub fn code(&self) -> ErrorCode {
        ErrorCode::InvalidPaidAt
    }
}

/// Parses an RFC 3339 time (an offset is required) into UTC.
pub fn parse_rfc3339_instant(text: &str) -> Result<DateTime<Utc>, InstantError> {
    DateTime::parse_from_rfc3339(text).map(|instant| instant.to_utc()).map_err(|_| InstantError)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_relative_day_counts_back_from_today() {
        let today = BusinessDay::parse("2026-03-01").unwrap();
        for (text, day) in [("today", "2026-03-01"), ("today-1", "2026-02-28"), ("today-00001", "2026-02-28"), ("2026-01-10", "2026-01-10")]
        {
            assert_eq!(BusinessDay::parse_relative(text, today), Ok(BusinessDay::parse(day).unwrap()), "{text}");
        }
        for bad in ["today-", "today+1", "today-123456", "yesterday", "today -1", "2026-1-10", "todays"] {
            assert_eq!(BusinessDay::parse_relative(bad, today), Err(DayError), "{bad}");
        }
    }

    use super::*;
    use chrono_tz::{America, Asia};
    use proptest::prelude::*;

    fn day(text: &str) -> BusinessDay {
        BusinessDay::parse(text).unwrap()
    }

    fn instant(text: &str) -> DateTime<Utc> {
        parse_rfc3339_instant(text).unwrap()
    }

    #[test]
    fn a_day_is_parsed_from_and_printed_as_year_month_day() {
        assert_eq!(day("2026-01-10").date(), NaiveDate::from_ymd_opt(2026, 1, 10).unwrap());
        assert_eq!(day("2026-01-10").to_string(), "2026-01-10");
        assert_eq!(day("0999-12-31").to_string(), "0999-12-31");
    }

    #[test]
    fn malformed_or_impossible_dates_are_refused() {
        for text in [
            "",
            "2026-1-10",
            "2026-01-1",
            "2026/01/10",
            "20260110",
            " 2026-01-10",
            "2026-01-10 ",
            "2026-02-30",
            "2026-13-01",
            "2026-00-10",
            "+2026-01-10",
            "2026-01-10T00:00:00Z",
            "2026-٠1-10",
        ] {
            assert_eq!(BusinessDay::parse(text), Err(DayError), "{text:?}");
        }
        assert_eq!(DayError.code(), "invalid_date");
    }

    #[test]
    fn the_next_day_crosses_months_years_and_leap_days() {
        assert_eq!(day("2026-01-31").succ(), day("2026-02-01"));
        assert_eq!(day("2026-12-31").succ(), day("2027-01-01"));
        assert_eq!(day("2028-02-28").succ(), day("2028-02-29"));
        assert!(day("2026-01-10") < day("2026-01-11"));
    }

    #[test]
    fn a_shanghai_day_starts_at_sixteen_hundred_utc_the_evening_before() {
        assert_eq!(day("2026-01-10").start_utc(Asia::Shanghai), instant("2026-01-09T16:00:00Z"));
    }

    #[test]
    fn an_instant_belongs_to_its_local_date() {
        let tz = Asia::Shanghai;
        assert_eq!(BusinessDay::of(instant("2026-01-09T15:59:59.999Z"), tz), day("2026-01-09"));
        assert_eq!(BusinessDay::of(instant("2026-01-09T16:00:00Z"), tz), day("2026-01-10"));
        assert_eq!(BusinessDay::of(instant("2026-01-10T23:30:00+08:00"), tz), day("2026-01-10"));
    }

    #[test]
    fn a_day_whose_midnight_is_skipped_starts_when_the_clocks_jump() {
        // Brazil moved from -03 to -02 at local midnight on 2018-11-04: 00:00 never happened.
        assert_eq!(day("2018-11-04").start_utc(America::Sao_Paulo), instant("2018-11-04T01:00:00-02:00"));
    }

    #[test]
    fn a_day_whose_midnight_happens_twice_starts_at_the_first() {
        // Cuba went back from -04 to -05 at 01:00 on 2025-11-02, so 00:00 came twice.
        assert_eq!(day("2025-11-02").start_utc(America::Havana), instant("2025-11-02T00:00:00-04:00"));
    }

    #[test]
    fn a_day_is_a_json_string() {
        assert_eq!(serde_json::to_string(&day("2026-01-10")).unwrap(), r#""2026-01-10""#);
        assert_eq!(serde_json::from_str::<BusinessDay>(r#""2026-01-10""#).unwrap(), day("2026-01-10"));
        assert!(serde_json::from_str::<BusinessDay>(r#""2026-1-10""#).is_err());
    }

    #[test]
    fn paid_at_is_rfc3339_with_an_offset() {
        assert_eq!(instant("2026-01-10T08:30:00+08:00"), instant("2026-01-10T00:30:00Z"));
        for text in ["2026-01-10T08:30:00", "2026-01-10", "yesterday", "", "1736467800"] {
            assert_eq!(parse_rfc3339_instant(text), Err(InstantError), "{text:?}");
        }
        assert_eq!(InstantError.code(), "invalid_paid_at");
    }

    proptest! {
        #[test]
        fn a_day_starts_exactly_where_the_previous_one_ends(
            days_since_1970 in 0_i64..60_000,
            tz in prop::sample::select(vec![Asia::Shanghai, America::Sao_Paulo, America::Havana]),
        ) {
            let date = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + TimeDelta::days(days_since_1970);
            let start = BusinessDay::from(date).start_utc(tz);
            prop_assert_eq!(BusinessDay::of(start, tz), BusinessDay::from(date));
            let previous = BusinessDay::of(start - TimeDelta::seconds(1), tz);
            prop_assert_eq!(previous.succ(), BusinessDay::from(date));
        }
    }
}
