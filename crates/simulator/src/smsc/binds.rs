//! Who can receive: receiver and transceiver binds, by system_id. A receipt goes back on the transceiver bind that
//! submitted the message while it is up (as most SMSCs do, and as Kannel needs: it matches receipts per bind
//! group), else round-robin to the receivers of the submitting system_id; MO messages go to any bind. Receipts for a system_id with no receiver bound wait (bounded)
//! until one binds, as an SMSC would retry them.

use std::{
    collections::{HashMap, VecDeque},
    sync::Mutex,
};

use rusmpp::pdus::DeliverSm;

use super::outbox::Outbox;

/// Receipts kept per system_id while no receiver is bound.
const MAX_PENDING: usize = 10_000;

#[derive(Debug, Default)]
struct Inner {
    receivers: Vec<(String, Outbox)>,
    cursor: usize,
    pending: HashMap<String, VecDeque<DeliverSm>>,
}

/// The receiver registry.
#[derive(Debug, Default)]
pub(crate) struct Binds {
    inner: Mutex<Inner>,
}

impl Binds {
    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> T {
        let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }

    /// Adds a receiver; returns the receipts that were waiting for its system_id (already queued to it).
    pub(crate) fn register(&self, system_id: &str, outbox: Outbox) -> usize {
        self.with(|inner| {
            let waiting = inner.pending.remove(system_id).unwrap_or_default();
            let sent = waiting
                .into_iter()
                .filter(|pdu| outbox.request(pdu.clone()))
                .count();
            inner.receivers.push((system_id.to_owned(), outbox));
            sent
        })
    }

    pub(crate) fn unregister(&self, session: u64) {
        self.with(|inner| {
            inner
                .receivers
                .retain(|(_, o)| o.id != session && o.is_open())
        });
    }

    /// Queues `pdu` to the next receiver (of `system_id`, or any when `None`). Returns whether it was queued.
    fn send_next(inner: &mut Inner, system_id: Option<&str>, pdu: &DeliverSm) -> bool {
        let count = inner.receivers.len();
        for step in 0..count {
            let index = (inner.cursor + step) % count;
            let (id, outbox) = &inner.receivers[index];
            if system_id.is_some_and(|wanted| wanted != id) {
                continue;
            }
            if outbox.request(pdu.clone()) {
                inner.cursor = index + 1;
                return true;
            }
        }
        false
    }

    /// Sends a receipt to the submitting `session` when it receives, else to a receiver of `system_id`, or keeps
    /// it until one binds. Returns whether it was sent now.
    pub(crate) fn receipt(&self, system_id: &str, session: u64, pdu: DeliverSm) -> bool {
        self.with(|inner| {
            let own = inner
                .receivers
                .iter()
                .find(|(_, outbox)| outbox.id == session);
            if own.is_some_and(|(_, outbox)| outbox.request(pdu.clone())) {
                return true;
            }
            if Self::send_next(inner, Some(system_id), &pdu) {
                return true;
            }
            let waiting = inner.pending.entry(system_id.to_owned()).or_default();
            if waiting.len() == MAX_PENDING {
                waiting.pop_front();
            }
            waiting.push_back(pdu);
            false
        })
    }

    /// Sends an MO message to any receiver; false when none is bound.
    pub(crate) fn mobile_originated(&self, pdu: DeliverSm) -> bool {
        self.with(|inner| Self::send_next(inner, None, &pdu))
    }
}
