//! A message's outcome is data: where it stands in the status machine, and which channel carried it.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where one message stands. `queued → sending → sent → delivered | undelivered | failed | expired`, or
/// `suppressed` without ever being sent (opted out, frequency cap, duplicate, cancelled before sending).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageStatus {
    /// Waiting for its due time (and for quiet hours, rate limits and retries to allow it).
    Queued,
    /// Claimed by a worker under a lease; handed to a carrier or about to be.
    Sending,
    /// A carrier accepted it; waiting for the receipt.
    Sent,
    /// The handset has it.
    Delivered,
    /// The carrier gave up: the handset was unreachable or refused it.
    Undelivered,
    /// Refused before delivery (permanent carrier error, no route, bad content).
    Failed,
    /// Its time ran out: the campaign's expiry passed before a lawful window, or no receipt came in time.
    Expired,
    /// Never sent, on purpose: opted out, frequency cap, duplicate, or the campaign was cancelled.
    Suppressed,
}

impl MessageStatus {
    /// Every status, in the order of the machine.
    pub const ALL: [MessageStatus; 8] = [
        Self::Queued,
        Self::Sending,
        Self::Sent,
        Self::Delivered,
        Self::Undelivered,
        Self::Failed,
        Self::Expired,
        Self::Suppressed,
    ];

    /// The name stored in the database and shown in APIs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Delivered => "delivered",
            Self::Undelivered => "undelivered",
            Self::Failed => "failed",
            Self::Expired => "expired",
            Self::Suppressed => "suppressed",
        }
    }

    /// Whether nothing more will happen to the message.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            Self::Delivered | Self::Undelivered | Self::Failed | Self::Expired | Self::Suppressed
        )
    }
}

impl fmt::Display for MessageStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for MessageStatus {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, UnknownName> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| UnknownName(s.to_owned()))
    }
}

/// How a message reaches the handset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// RCS Business Messaging.
    Rcs,
    /// Multimedia message.
    Mms,
    /// Plain SMS (with a link to a landing page when it stands in for media).
    Sms,
}

impl Channel {
    /// Every channel, richest first.
    pub const ALL: [Channel; 3] = [Self::Rcs, Self::Mms, Self::Sms];

    /// The name stored in the database and shown in APIs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rcs => "rcs",
            Self::Mms => "mms",
            Self::Sms => "sms",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Channel {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, UnknownName> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| UnknownName(s.to_owned()))
    }
}

/// A status or channel name that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown name {0:?}")]
pub struct UnknownName(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in MessageStatus::ALL {
            assert_eq!(s.as_str().parse::<MessageStatus>(), Ok(s));
        }
        for c in Channel::ALL {
            assert_eq!(c.as_str().parse::<Channel>(), Ok(c));
        }
        assert!("delivred".parse::<MessageStatus>().is_err());
    }

    #[test]
    fn only_outcomes_are_terminal() {
        let terminal: Vec<_> = MessageStatus::ALL
            .into_iter()
            .filter(|s| s.is_terminal())
            .collect();
        assert_eq!(terminal.len(), 5);
        assert!(!MessageStatus::Sent.is_terminal());
    }
}
