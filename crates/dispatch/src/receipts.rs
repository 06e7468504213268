//! Carrier receipts as the status machine's final states, and a buffer for receipts that arrive before the
//! carrier id they name is written: a fast carrier's receipt can overtake the worker's batched settlement, and
//! such a receipt must wait a little rather than be lost.

use std::collections::VecDeque;

use canvass_connectors::{DeliveryState, Receipt};
use canvass_types::MessageStatus;

use crate::ports::ReceiptUpdate;

/// The final status a receipt in `state` gives a sent message; `None` when it is not final (still en route) or
/// says nothing (the carrier does not know, so a later receipt or the receipt deadline decides).
///
/// `Rejected` (SMPP REJECTD) is `Failed`, not `Undelivered`: the carrier accepted the submit and then refused
/// the message itself (content filtering, a blocked sender, a bad registration), which is our fault to fix, not
/// the handset's; `Undelivered` is kept for messages the network tried and could not deliver. `Deleted` (the
/// carrier or an RBM revoke removed it before delivery) is `Undelivered`.
pub fn final_status(state: DeliveryState) -> Option<MessageStatus> {
    match state {
        DeliveryState::Delivered | DeliveryState::Read => Some(MessageStatus::Delivered),
        DeliveryState::Expired => Some(MessageStatus::Expired),
        DeliveryState::Undeliverable | DeliveryState::Deleted => Some(MessageStatus::Undelivered),
        DeliveryState::Rejected => Some(MessageStatus::Failed),
        DeliveryState::EnRoute | DeliveryState::Unknown => None,
    }
}

/// The update a receipt makes, received at `at` (ms since the epoch); `None` for a receipt that is not final.
pub fn update_for(receipt: &Receipt, at: i64) -> Option<ReceiptUpdate> {
    Some(ReceiptUpdate {
        carrier_id: receipt.carrier_id.clone(),
        status: final_status(receipt.state)?,
        error_code: receipt.error_code.clone(),
        at,
    })
}

/// How long and how many receipts the buffer keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BufferLimits {
    /// A receipt that has matched nothing for this long is dropped (ms).
    pub max_age_ms: i64,
    /// Receipts kept at most; past this the oldest is dropped.
    pub max_len: usize,
    /// The first retry comes this long after the receipt arrived (ms); each later one waits twice as long.
    pub first_retry_ms: i64,
    /// The wait between retries grows no longer than this (ms).
    pub max_retry_ms: i64,
}

impl Default for BufferLimits {
    fn default() -> Self {
        Self {
            max_age_ms: 30_000,
            max_len: 100_000,
            first_retry_ms: 250,
            max_retry_ms: 4_000,
        }
    }
}

/// A receipt waiting for its message, with what came with it (the worker keeps the receipt's [`Settle`]
/// here, so that the carrier hears "stored" only once the receipt has matched its message).
///
/// [`Settle`]: canvass_connectors::Settle
#[derive(Debug, Clone, PartialEq)]
pub struct Pending<T = ()> {
    /// The update to apply.
    pub update: ReceiptUpdate,
    /// What came with it.
    pub ticket: T,
    /// When it first matched nothing (ms).
    pub first_seen: i64,
    /// Retries so far.
    pub retries: u32,
    due_at: i64,
}

/// Receipts that matched no message yet, retried with growing gaps until they match, age out, or are pushed
/// out by newer ones.
///
/// The worker [`push`](Self::push)es a receipt that matched nothing, takes [`due_for_retry`](Self::due_for_retry)
/// and applies them again, [`requeue`](Self::requeue)s those that still match nothing (keeping their age), and
/// calls [`expired`](Self::expired) to count what aged out.
#[derive(Debug)]
pub struct ReceiptBuffer<T = ()> {
    limits: BufferLimits,
    /// In arrival order, so the front is the oldest to drop.
    pending: VecDeque<Pending<T>>,
    overflowed: u64,
}

impl<T> Default for ReceiptBuffer<T> {
    fn default() -> Self {
        Self::new(BufferLimits::default())
    }
}

impl<T> ReceiptBuffer<T> {
    /// An empty buffer.
    pub fn new(limits: BufferLimits) -> Self {
        Self {
            limits,
            pending: VecDeque::new(),
            overflowed: 0,
        }
    }

    /// Receipts waiting.
    pub fn len(&self) -> usize {
        self.pending.len()
    }

    /// Whether none wait.
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// Receipts dropped so far because the buffer was full.
    pub fn overflowed(&self) -> u64 {
        self.overflowed
    }

    /// Keeps a receipt that matched nothing at `now`. Returns whether an older receipt was dropped to make room.
    pub fn push(&mut self, update: ReceiptUpdate, ticket: T, now: i64) -> bool {
        self.insert(Pending {
            update,
            ticket,
            first_seen: now,
            retries: 0,
            due_at: now.saturating_add(self.limits.first_retry_ms),
        })
    }

    /// Puts back a receipt from [`due_for_retry`](Self::due_for_retry) that still matched nothing; it keeps its
    /// age and waits twice as long as last time. Returns whether an older receipt was dropped to make room.
    pub fn requeue(&mut self, mut pending: Pending<T>, now: i64) -> bool {
        pending.retries = pending.retries.saturating_add(1);
        let gap = self
            .limits
            .first_retry_ms
            .saturating_mul(1i64 << pending.retries.min(32))
            .min(self.limits.max_retry_ms);
        pending.due_at = now.saturating_add(gap);
        self.insert(pending)
    }

    fn insert(&mut self, pending: Pending<T>) -> bool {
        if self.limits.max_len == 0 {
            self.overflowed += 1;
            return true;
        }
        let mut dropped = false;
        while self.pending.len() >= self.limits.max_len {
            self.pending.pop_front();
            self.overflowed += 1;
            dropped = true;
        }
        self.pending.push_back(pending);
        dropped
    }

    fn is_stale(max_age_ms: i64, pending: &Pending<T>, now: i64) -> bool {
        now.saturating_sub(pending.first_seen) > max_age_ms
    }

    /// Takes out the receipts due for another try at `now` (those too old stay, for [`expired`](Self::expired)
    /// to count).
    pub fn due_for_retry(&mut self, now: i64) -> Vec<Pending<T>> {
        let mut due = Vec::new();
        let mut kept = VecDeque::with_capacity(self.pending.len());
        for pending in self.pending.drain(..) {
            if pending.due_at <= now && !Self::is_stale(self.limits.max_age_ms, &pending, now) {
                due.push(pending);
            } else {
                kept.push_back(pending);
            }
        }
        self.pending = kept;
        due
    }

    /// Takes out the receipts that have matched nothing for longer than the limit.
    pub fn expired(&mut self, now: i64) -> Vec<Pending<T>> {
        let max_age_ms = self.limits.max_age_ms;
        let mut stale = Vec::new();
        let mut kept = VecDeque::with_capacity(self.pending.len());
        for pending in self.pending.drain(..) {
            if Self::is_stale(max_age_ms, &pending, now) {
                stale.push(pending);
            } else {
                kept.push_back(pending);
            }
        }
        self.pending = kept;
        stale
    }
}

#[cfg(test)]
#[path = "receipts_tests.rs"]
mod tests;
