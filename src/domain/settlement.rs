//! A day's settlement as a whole: its status.
use std::fmt;

use serde::{Deserialize, Serialize};

/// Where a day's settlement stands: `running` from the moment a run claims the day (its fence is
/// raised) until the run has written every batch, also while a stopped run waits to be taken
/// over; `settled` from then on, for good.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SettlementStatus {
    Running,
    Settled,
}

impl fmt::Display for SettlementStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SettlementStatus::Running => "running",
            SettlementStatus::Settled => "settled",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::SettlementStatus;

    #[test]
    fn a_status_is_written_as_it_is_stored() {
        for status in [SettlementStatus::Running, SettlementStatus::Settled] {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{status}\""));
            assert_eq!(serde_json::from_str::<SettlementStatus>(&json).unwrap(), status);
        }
        assert!(serde_json::from_str::<SettlementStatus>("\"done\"").is_err());
    }
}
