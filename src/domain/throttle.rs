//! Limits on attempts. [`Rate`]: `burst` at once, then one more every `every` (the generic cell
//! rate algorithm, kept as one number per key: the theoretical arrival time of the next attempt).
//! [`Backoff`]: failures of one account from one address, a few free, then ever longer waits.
use std::time::Duration;

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    pub burst: u32,
    pub every: Duration,
}

impl Rate {
    /// One attempt's share of the limit, in milliseconds.
    pub fn every_ms(self) -> i64 {
        millis(self.every)
    }

    /// Whether an attempt at `now_ms` is let through, given the key's theoretical arrival time
    /// `tat_ms` (0 for a key never seen); the new arrival time when it is.
    pub fn admit(self, tat_ms: i64, now_ms: i64) -> Option<i64> {
        let every = self.every_ms();
        let tolerance = every.saturating_mul(i64::from(self.burst.saturating_sub(1)));
        let tat = tat_ms.max(now_ms);
        (tat - now_ms <= tolerance).then(|| tat.saturating_add(every))
    }
}

/// The failed logins of one account from one address: `free` of them cost nothing; after that,
/// each failure closes the door for twice as long as the one before, from `first` up to
/// `longest`. A success, or `forget_after` without a failure, forgets them all. The owner, from
/// another address, is never held back by someone else's failures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    pub free: u32,
    pub first: Duration,
    pub longest: Duration,
    pub forget_after: Duration,
}

/// How many failures in a row, and when the last one was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Failures {
    pub count: u32,
    pub last_ms: i64,
}

impl Backoff {
    /// The failures that still count at `now_ms`.
    fn current(self, failures: Option<Failures>, now_ms: i64) -> Option<Failures> {
        failures.filter(|f| now_ms.saturating_sub(f.last_ms) < millis(self.forget_after))
    }

    /// Until when the door is closed after these failures (`None`: it is open).
    pub fn closed_until(self, failures: Option<Failures>, now_ms: i64) -> Option<i64> {
        let failures = self.current(failures, now_ms)?;
        let beyond = failures.count.checked_sub(self.free)?;
        let wait = millis(self.first).saturating_mul(1_i64.checked_shl(beyond).unwrap_or(i64::MAX)).min(millis(self.longest));
        let until = failures.last_ms.saturating_add(wait);
        (until > now_ms).then_some(until)
    }

    /// The failures after one more at `now_ms`.
    pub fn after_failure(self, failures: Option<Failures>, now_ms: i64) -> Failures {
        let count = self.current(failures, now_ms).map_or(0, |f| f.count).saturating_add(1);
        Failures { count, last_ms: now_ms }
    }

    /// When these failures are forgotten, so that their record can be removed.
    pub fn forgotten_at(self, failures: Failures) -> i64 {
        failures.last_ms.saturating_add(millis(self.forget_after))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BACKOFF: Backoff =
        Backoff { free: 3, first: Duration::from_secs(30), longest: Duration::from_secs(300), forget_after: Duration::from_secs(86_400) };

    fn fail_times(times: u32, at_ms: i64) -> Option<Failures> {
        (0..times).fold(None, |failures, _| Some(BACKOFF.after_failure(failures, at_ms)))
    }

    #[test]
    fn the_first_failures_are_free_then_each_wait_doubles_up_to_the_longest() {
        assert_eq!(BACKOFF.closed_until(None, 0), None);
        assert_eq!(BACKOFF.closed_until(fail_times(2, 1_000), 1_000), None, "two of three free failures");
        assert_eq!(BACKOFF.closed_until(fail_times(3, 1_000), 1_000), Some(31_000), "the third closes for 30 s");
        assert_eq!(BACKOFF.closed_until(fail_times(3, 1_000), 31_000), None, "and opens after them");
        assert_eq!(BACKOFF.closed_until(fail_times(4, 1_000), 1_000), Some(61_000), "then 60 s");
        assert_eq!(BACKOFF.closed_until(fail_times(5, 1_000), 1_000), Some(121_000), "then 120 s");
        assert_eq!(BACKOFF.closed_until(fail_times(9, 1_000), 1_000), Some(301_000), "never more than the longest");
        assert_eq!(BACKOFF.closed_until(fail_times(200, 1_000), 1_000), Some(301_000), "however many");
    }

    #[test]
    fn a_quiet_day_forgets_the_failures() {
        let failures = fail_times(9, 0);
        assert_eq!(BACKOFF.closed_until(failures, 86_400_000), None);
        assert_eq!(BACKOFF.after_failure(failures, 86_400_000), Failures { count: 1, last_ms: 86_400_000 });
        assert_eq!(BACKOFF.forgotten_at(failures.unwrap()), 86_400_000);
    }

    #[test]
    fn a_burst_passes_at_once_then_one_more_each_interval() {
        let rate = Rate { burst: 3, every: Duration::from_secs(60) };
        let mut tat = 0;
        for attempt in 0..3 {
            tat = rate.admit(tat, 1_000).unwrap_or_else(|| panic!("attempt {attempt} of the burst"));
        }
        assert_eq!(rate.admit(tat, 1_000), None, "the fourth at once is refused");
        assert_eq!(rate.admit(tat, 1_000 + 59_999), None, "still refused just before a minute");
        assert!(rate.admit(tat, 1_000 + 60_000).is_some(), "one more after a minute");
    }

    #[test]
    fn a_refused_attempt_costs_nothing() {
        let rate = Rate { burst: 1, every: Duration::from_secs(10) };
        let tat = rate.admit(0, 0).unwrap();
        assert_eq!(rate.admit(tat, 5_000), None);
        assert_eq!(rate.admit(tat, 10_000), Some(20_000), "the refusal did not push the next slot");
    }
}
