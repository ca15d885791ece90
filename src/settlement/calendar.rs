//! What an order released on the days since its figures were last written.
//!
//! Writing every order every day would be millions of writes at scale, so an order's
//! `remaining_fen` is written only when something other than its static release changes it (an
//! accelerated release paid out of it, a refund), together with the day it holds after. On the
//! settled days since, it released `floor_fen(rate × amount)` a day until empty, so its
//! remaining on any later day follows from the release rate of each settled day.
use chrono::NaiveDate;

use super::rules::floor_micros;
use crate::domain::day::BusinessDay;
use crate::domain::money::Rate;

/// The settled days, consecutive, with the release rate each was settled with.
#[derive(Clone, Debug, Default)]
pub struct ReleaseCalendar {
    first: Option<NaiveDate>,
    /// The distinct release rates, in millionths.
    rates: Vec<i64>,
    /// For each distinct rate, how many of the first k settled days used it (k = 0..=days).
    days_at_rate: Vec<Vec<u32>>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("settled days must follow each other without a gap; {day} does not")]
pub struct CalendarGap {
    pub day: BusinessDay,
}

impl ReleaseCalendar {
    /// From the settled days in ascending order.
    pub fn new(settled: &[(BusinessDay, Rate)]) -> Result<ReleaseCalendar, CalendarGap> {
        let mut calendar = ReleaseCalendar { first: settled.first().map(|(day, _)| day.date()), ..Default::default() };
        for (k, (day, rate)) in settled.iter().enumerate() {
            if k > 0 && settled[k - 1].0.succ() != *day {
                return Err(CalendarGap { day: *day });
            }
            let micros = rate.micros();
            let index = match calendar.rates.iter().position(|&r| r == micros) {
                Some(index) => index,
                None => {
                    calendar.rates.push(micros);
                    calendar.days_at_rate.push(vec![0; k + 1]);
                    calendar.rates.len() - 1
                }
            };
            for (j, counts) in calendar.days_at_rate.iter_mut().enumerate() {
                let before = counts[k];
                counts.push(before + u32::from(j == index));
            }
        }
        Ok(calendar)
    }

    pub fn last_settled(&self) -> Option<BusinessDay> {
        let first = self.first?;
        let days = self.days_at_rate.first().map_or(0, |counts| counts.len() - 1);
        Some(BusinessDay::from_date(first + chrono::Days::new(days as u64 - 1)))
    }

    /// What an order of `amount_fen` holding `remaining_fen` after day `as_of` holds after day
    /// `through`, releasing on every settled day between.
    pub fn remaining(&self, amount_fen: i64, remaining_fen: i64, as_of: BusinessDay, through: BusinessDay) -> i64 {
        (remaining_fen - self.released_at_full_rate(amount_fen, as_of, through)).max(0)
    }

    /// `Σ floor_fen(rate_d × amount)` over the settled days d with `after < d ≤ through`.
    fn released_at_full_rate(&self, amount_fen: i64, after: BusinessDay, through: BusinessDay) -> i64 {
        let Some(first) = self.first else { return 0 };
        let days = self.days_at_rate[0].len() - 1;
        let index = |day: NaiveDate| (day - first).num_days();
        // Settled-day positions in (after, through], clamped to the calendar.
        let low = (index(after.date()) + 1).clamp(0, days as i64) as usize;
        let high = (index(through.date()) + 1).clamp(0, days as i64) as usize;
        if low >= high {
            return 0;
        }
        self.rates
            .iter()
            .zip(&self.days_at_rate)
            .map(|(&micros, counts)| {
                let count = i64::from(counts[high] - counts[low]);
                count * floor_micros(i128::from(micros) * i128::from(amount_fen))
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> BusinessDay {
        BusinessDay::parse(text).unwrap()
    }

    fn rate(text: &str) -> Rate {
        Rate::parse(text).unwrap()
    }

    #[test]
    fn an_order_releases_on_every_settled_day_after_it_was_written_until_empty() {
        let settled: Vec<_> = (1..=10).map(|d| (day(&format!("2026-01-{d:02}")), rate("0.012"))).collect();
        let calendar = ReleaseCalendar::new(&settled).unwrap();
        // 3000.00 releases 36.00 a day.
        assert_eq!(calendar.remaining(300_000, 750_000, day("2026-01-03"), day("2026-01-10")), 750_000 - 7 * 3_600);
        assert_eq!(calendar.remaining(300_000, 5_000, day("2025-12-01"), day("2026-01-10")), 0);
        assert_eq!(calendar.remaining(300_000, 750_000, day("2026-01-10"), day("2026-01-10")), 750_000);
        // Days after the last settled one have not released anything yet.
        assert_eq!(calendar.remaining(300_000, 750_000, day("2026-01-09"), day("2026-02-01")), 750_000 - 3_600);
        assert_eq!(calendar.last_settled(), Some(day("2026-01-10")));
    }

    #[test]
    fn each_settled_day_releases_at_its_own_rate() {
        let mut settled: Vec<_> = (1..=5).map(|d| (day(&format!("2026-01-{d:02}")), rate("0.012"))).collect();
        settled.extend((6..=8).map(|d| (day(&format!("2026-01-{d:02}")), rate("0.02"))));
        let calendar = ReleaseCalendar::new(&settled).unwrap();
        // 3333.33 releases floor(39.99996) = 39.99 at 1.2% and 66.66 at 2%.
        assert_eq!(calendar.remaining(333_333, 1_000_000, day("2026-01-02"), day("2026-01-07")), 1_000_000 - 3 * 3_999 - 2 * 6_666);
    }

    #[test]
    fn a_gap_between_settled_days_is_refused() {
        let settled = [(day("2026-01-01"), rate("0.012")), (day("2026-01-03"), rate("0.012"))];
        assert_eq!(ReleaseCalendar::new(&settled).unwrap_err(), CalendarGap { day: day("2026-01-03") });
    }

    #[test]
    fn without_settled_days_nothing_is_released() {
        let calendar = ReleaseCalendar::new(&[]).unwrap();
        assert_eq!(calendar.remaining(300_000, 750_000, day("2026-01-01"), day("2026-03-01")), 750_000);
        assert_eq!(calendar.last_settled(), None);
    }
}
