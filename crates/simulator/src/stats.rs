//! What the simulator accepted, per recipient and per message, so that tests can assert "exactly once" and
//! "at most a window of duplicates". A message is identified by recipient and a fingerprint of its content,
//! because a client that resends after a lost answer sends the same content again.

use std::{
    collections::{BTreeMap, HashMap},
    hash::{DefaultHasher, Hash, Hasher},
    sync::Mutex,
};

use serde::Serialize;

/// Counters shared by every simulated interface.
#[derive(Debug, Default)]
pub struct Stats {
    inner: Mutex<Counters>,
}

#[derive(Debug, Default)]
struct Counters {
    by_message: HashMap<(String, u64), u64>,
    by_recipient: HashMap<String, u64>,
    by_interface: BTreeMap<&'static str, InterfaceCounters>,
}

/// Per-interface totals.
#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct InterfaceCounters {
    /// Submits answered "accepted".
    pub accepted: u64,
    /// Submits refused (nack, throttled).
    pub refused: u64,
    /// Submits left unanswered or answered by dropping the session.
    pub dropped: u64,
    /// Receipts sent.
    pub receipts: u64,
    /// Inbound (MO) messages sent.
    pub inbound: u64,
}

/// A copy of the counters, as served by `GET /sim/stats`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct StatsSnapshot {
    /// Accepted submits in all.
    pub accepted_total: u64,
    /// Distinct messages (recipient + content) accepted.
    pub distinct_messages: u64,
    /// Accepted submits beyond the first of each message.
    pub duplicates: u64,
    /// Accepted submits per recipient, keyed by number without a leading "+".
    pub by_recipient: BTreeMap<String, u64>,
    /// Totals per interface (`smpp`, `mm7`, `rbm`, `upstream`).
    pub by_interface: BTreeMap<&'static str, InterfaceCounters>,
}

/// Recipients are counted by number whatever the protocol wrote: SMPP carries `12025550100` with an
/// international TON where HTTP APIs write `+12025550100`.
fn recipient(to: &str) -> &str {
    to.trim_start_matches('+')
}

fn fingerprint(content: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    content.hash(&mut hasher);
    hasher.finish()
}

impl Stats {
    fn with<T>(&self, f: impl FnOnce(&mut Counters) -> T) -> T {
        // A poisoned lock only means a test thread panicked mid-count; the counters are still usable.
        let mut guard = self
            .inner
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        f(&mut guard)
    }

    /// Counts one accepted submit of `content` to `to` on `interface`.
    pub fn accepted(&self, interface: &'static str, to: &str, content: &[u8]) {
        let to = recipient(to);
        let key = (to.to_owned(), fingerprint(content));
        self.with(|c| {
            *c.by_message.entry(key).or_default() += 1;
            *c.by_recipient.entry(to.to_owned()).or_default() += 1;
            c.by_interface.entry(interface).or_default().accepted += 1;
        });
    }

    /// Counts one refused submit.
    pub fn refused(&self, interface: &'static str) {
        self.with(|c| c.by_interface.entry(interface).or_default().refused += 1);
    }

    /// Counts one submit that got no answer, or a dropped session.
    pub fn dropped(&self, interface: &'static str) {
        self.with(|c| c.by_interface.entry(interface).or_default().dropped += 1);
    }

    /// Counts one receipt sent.
    pub fn receipt_sent(&self, interface: &'static str) {
        self.with(|c| c.by_interface.entry(interface).or_default().receipts += 1);
    }

    /// Counts one inbound message sent.
    pub fn inbound_sent(&self, interface: &'static str) {
        self.with(|c| c.by_interface.entry(interface).or_default().inbound += 1);
    }

    /// Accepted submits to `to`.
    pub fn accepted_for(&self, to: &str) -> u64 {
        self.with(|c| c.by_recipient.get(recipient(to)).copied().unwrap_or(0))
    }

    /// A copy of everything.
    pub fn snapshot(&self) -> StatsSnapshot {
        self.with(|c| {
            let accepted_total: u64 = c.by_message.values().sum();
            let distinct_messages = c.by_message.len() as u64;
            StatsSnapshot {
                accepted_total,
                distinct_messages,
                duplicates: accepted_total - distinct_messages,
                by_recipient: c
                    .by_recipient
                    .iter()
                    .map(|(k, v)| (k.clone(), *v))
                    .collect(),
                by_interface: c.by_interface.clone(),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resent_message_counts_as_a_duplicate_and_a_new_one_does_not() {
        let stats = Stats::default();
        stats.accepted("smpp", "+12025550201", b"hello");
        stats.accepted("smpp", "+12025550201", b"hello");
        stats.accepted("smpp", "+12025550201", b"hello again");
        stats.accepted("mm7", "+12025550202", b"hello");
        stats.refused("smpp");
        let snapshot = stats.snapshot();
        assert_eq!(snapshot.accepted_total, 4);
        assert_eq!(snapshot.distinct_messages, 3);
        assert_eq!(snapshot.duplicates, 1);
        assert_eq!(stats.accepted_for("+12025550201"), 3);
        assert_eq!(
            stats.accepted_for("12025550201"),
            3,
            "SMPP's form of the same number"
        );
        assert_eq!(snapshot.by_interface["smpp"].accepted, 3);
        assert_eq!(snapshot.by_interface["smpp"].refused, 1);
        assert_eq!(snapshot.by_interface["mm7"].accepted, 1);
    }
}
