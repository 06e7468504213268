//! The campaign lifecycle: draft → running ⇄ paused → completed | cancelled. Every change is stored.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where a campaign stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CampaignState {
    /// Being written; test sends allowed.
    Draft,
    /// Launched: expanding and sending.
    Running,
    /// Held: nothing is sent until resumed.
    Paused,
    /// Every message reached a terminal state.
    Completed,
    /// Stopped for good; messages not yet sent were suppressed.
    Cancelled,
}

impl CampaignState {
    /// Every state.
    pub const ALL: [CampaignState; 5] = [
        Self::Draft,
        Self::Running,
        Self::Paused,
        Self::Completed,
        Self::Cancelled,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Running => "running",
            Self::Paused => "paused",
            Self::Completed => "completed",
            Self::Cancelled => "cancelled",
        }
    }

    /// Whether `self → to` is a lifecycle step.
    pub fn can_become(self, to: CampaignState) -> bool {
        use CampaignState::*;
        matches!(
            (self, to),
            (Draft, Running)
                | (Draft, Cancelled)
                | (Running, Paused)
                | (Running, Completed)
                | (Running, Cancelled)
                | (Paused, Running)
                | (Paused, Cancelled)
        )
    }
}

impl fmt::Display for CampaignState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CampaignState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| format!("unknown campaign state {s:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::CampaignState::*;
    use super::*;

    #[test]
    fn ended_campaigns_stay_ended() {
        for to in CampaignState::ALL {
            assert!(!Completed.can_become(to));
            assert!(!Cancelled.can_become(to));
        }
        assert!(Running.can_become(Paused) && Paused.can_become(Running));
        assert!(!Draft.can_become(Paused));
    }

    #[test]
    fn names_round_trip() {
        for s in CampaignState::ALL {
            assert_eq!(s.as_str().parse::<CampaignState>(), Ok(s));
        }
    }
}
