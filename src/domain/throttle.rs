//! A limit on attempts: `burst` at once, then one more every `every` (the generic cell rate
//! algorithm, kept as one number per key: the theoretical arrival time of the next attempt).
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    pub burst: u32,
    pub every: Duration,
}

impl Rate {
    /// Whether an attempt at `now_ms` is let through, given the key's theoretical arrival time
    /// `tat_ms` (0 for a key never seen); the new arrival time when it is.
    pub fn admit(self, tat_ms: i64, now_ms: i64) -> Option<i64> {
        let every = i64::try_from(self.every.as_millis()).unwrap_or(i64::MAX);
        let tolerance = every.saturating_mul(i64::from(self.burst.saturating_sub(1)));
        let tat = tat_ms.max(now_ms);
        (tat - now_ms <= tolerance).then(|| tat.saturating_add(every))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
