//! How the pages write amounts and instants for people: 12,345.67 and 2026-11-25 08:30 in the
//! scheme's time zone.
use chrono_tz::Tz;

/// An amount in fen as yuan with thousands separators and two decimals.
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let magnitude = fen.unsigned_abs();
    let whole = (magnitude / 100).to_string();
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped}.{:02}", magnitude % 100)
}

/// Milliseconds since the epoch as local date and time to the minute (or seconds, for logs).
pub fn local_time(ms: i64, tz: Tz, with_seconds: bool) -> String {
    let Some(at) = chrono::DateTime::from_timestamp_millis(ms) else { return "?".into() };
    let pattern = if with_seconds { "%Y-%m-%d %H:%M:%S" } else { "%Y-%m-%d %H:%M" };
    at.with_timezone(&tz).format(pattern).to_string()
}

#[cfg(test)]
mod tests {
    use super::yuan;

    #[test]
    fn amounts_are_grouped_by_thousands_with_two_decimals() {
        assert_eq!(yuan(0), "0.00");
        assert_eq!(yuan(5), "0.05");
        assert_eq!(yuan(123_456), "1,234.56");
        assert_eq!(yuan(100_000_000), "1,000,000.00");
        assert_eq!(yuan(-123_456_789), "-1,234,567.89");
    }
}
