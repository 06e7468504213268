//! A session's outgoing queue. Everything a session writes (answers, receipts, MO, unbind) goes through it, so
//! delayed answers and receipts from other tasks reach the socket in order and at once.

use std::sync::{
    Arc,
    atomic::{AtomicU32, AtomicU64, Ordering},
};

use rusmpp::{Command, CommandStatus, Pdu};
use tokio::sync::mpsc;

/// What the session task should do next.
#[derive(Debug)]
pub(crate) enum Outbound {
    Pdu(Box<Command>),
    /// Close the socket after what is queued before it.
    Close,
}

static NEXT_SESSION: AtomicU64 = AtomicU64::new(1);

/// A cloneable handle for writing to one session.
#[derive(Debug, Clone)]
pub(crate) struct Outbox {
    pub id: u64,
    sender: mpsc::UnboundedSender<Outbound>,
    next_sequence: Arc<AtomicU32>,
}

impl Outbox {
    pub(crate) fn new() -> (Self, mpsc::UnboundedReceiver<Outbound>) {
        let (sender, receiver) = mpsc::unbounded_channel();
        let outbox = Self {
            id: NEXT_SESSION.fetch_add(1, Ordering::Relaxed),
            sender,
            next_sequence: Arc::new(AtomicU32::new(1)),
        };
        (outbox, receiver)
    }

    /// Queues an answer; false when the session is gone.
    pub(crate) fn answer(
        &self,
        status: CommandStatus,
        sequence_number: u32,
        pdu: impl Into<Pdu>,
    ) -> bool {
        self.sender
            .send(Outbound::Pdu(Box::new(Command::new(
                status,
                sequence_number,
                pdu,
            ))))
            .is_ok()
    }

    /// Queues a request of our own (deliver_sm, enquire_link, unbind) with a fresh sequence number.
    pub(crate) fn request(&self, pdu: impl Into<Pdu>) -> bool {
        // Sequence numbers run 1..=0x7FFFFFFF (SMPP 3.4 5.1.4), then wrap.
        let sequence = self
            .next_sequence
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
                Some(if n >= 0x7FFF_FFFF { 1 } else { n + 1 })
            })
            .unwrap_or(1);
        self.sender
            .send(Outbound::Pdu(Box::new(Command::new(
                CommandStatus::EsmeRok,
                sequence,
                pdu,
            ))))
            .is_ok()
    }

    pub(crate) fn close(&self) {
        let _ = self.sender.send(Outbound::Close);
    }

    pub(crate) fn is_open(&self) -> bool {
        !self.sender.is_closed()
    }
}
