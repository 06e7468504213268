//! A connector's event channel, with an answer back: whether the consumer kept each event for good.
//!
//! A carrier that can send an event again (an SMSC redelivers a deliver_sm it got no `ESME_ROK` for, an MMSC
//! retries a DeliveryReportReq until it reads 1000) must only hear "got it" once the event is stored: a receipt
//! acknowledged on arrival and lost in a crash is a delivered message that the store calls expired. The
//! connector hands such events over with [`EventSender::send_tracked`] and answers the carrier when the consumer
//! [`Settle`]s them. Events the source cannot send again go with [`EventSender::send`].

use std::{
    pin::Pin,
    task::{Context, Poll},
};

use futures::Stream;
use tokio::sync::{mpsc, oneshot};

use crate::ConnectorEvent;

/// What the consumer did with an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// Stored: the carrier may forget it.
    Kept,
    /// Not stored (the store failed, or the consumer went away): the carrier should send it again.
    NotKept,
}

/// One event as the consumer receives it, with its [`Settle`].
#[derive(Debug)]
pub struct Incoming {
    /// The event.
    pub event: ConnectorEvent,
    /// How to tell the connector what became of it.
    pub settle: Settle,
}

impl Incoming {
    /// An event nobody waits on.
    pub fn untracked(event: ConnectorEvent) -> Self {
        Self {
            event,
            settle: Settle(None),
        }
    }
}

/// The answer to one event's connector. Dropped without an answer, it counts as [`Settled::NotKept`], so an event
/// that a consumer lost on its way to the store is sent again rather than acknowledged.
#[derive(Debug)]
pub struct Settle(Option<oneshot::Sender<Settled>>);

impl Settle {
    /// Whether the connector waits for the answer (its carrier sends the event again when it is not kept).
    pub fn is_tracked(&self) -> bool {
        self.0.is_some()
    }

    /// The event is stored.
    pub fn kept(self) {
        self.answer(Settled::Kept);
    }

    /// The event could not be stored.
    pub fn not_kept(self) {
        self.answer(Settled::NotKept);
    }

    fn answer(mut self, settled: Settled) {
        if let Some(sender) = self.0.take() {
            // The connector may have gone (its session closed): then there is nobody left to tell.
            let _ = sender.send(settled);
        }
    }
}

/// The consumer's answer, awaited by the connector.
#[derive(Debug)]
pub struct Settlement(oneshot::Receiver<Settled>);

impl Settlement {
    /// Waits for the consumer's answer.
    pub async fn wait(self) -> Settled {
        self.0.await.unwrap_or(Settled::NotKept)
    }
}

/// The event stream has no reader any more (the route is shutting down).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closed;

/// The sending half that connectors push events into.
#[derive(Debug, Clone)]
pub struct EventSender(mpsc::Sender<Incoming>);

impl EventSender {
    /// Hands over an event its source cannot send again; nobody waits for the answer.
    pub async fn send(&self, event: ConnectorEvent) -> Result<(), Closed> {
        self.forward(Incoming::untracked(event)).await
    }

    /// Hands over an event and returns the consumer's answer to wait on before acknowledging it to the carrier.
    pub async fn send_tracked(&self, event: ConnectorEvent) -> Result<Settlement, Closed> {
        let (sender, receiver) = oneshot::channel();
        self.forward(Incoming {
            event,
            settle: Settle(Some(sender)),
        })
        .await?;
        Ok(Settlement(receiver))
    }

    /// Hands over an event and waits for the consumer's answer; [`Settled::NotKept`] when nobody reads any more.
    /// For receivers that answer the carrier inline (an HTTP request waiting for its response).
    pub async fn send_and_wait(&self, event: ConnectorEvent) -> Settled {
        match self.send_tracked(event).await {
            Ok(settlement) => settlement.wait().await,
            Err(Closed) => Settled::NotKept,
        }
    }

    /// Passes on an event received from another connector's stream, with its answer still owed to that one.
    pub async fn forward(&self, incoming: Incoming) -> Result<(), Closed> {
        self.0.send(incoming).await.map_err(|_| Closed)
    }
}

/// Receipts, inbound messages and handset events, in arrival order.
///
/// A consumer that stores events reads them with [`next_incoming`](Self::next_incoming) and settles each once
/// stored. Read as a plain [`Stream`], every event counts as kept the moment it is read: for consumers that only
/// look (tests, tours, benchmarks).
pub struct EventStream(mpsc::Receiver<Incoming>);

impl EventStream {
    /// The next event with its settle; `None` once every sender is gone.
    pub async fn next_incoming(&mut self) -> Option<Incoming> {
        self.0.recv().await
    }
}

impl Stream for EventStream {
    type Item = ConnectorEvent;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx).map(|incoming| {
            incoming.map(|Incoming { event, settle }| {
                settle.kept();
                event
            })
        })
    }
}

impl std::fmt::Debug for EventStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EventStream")
    }
}

/// A bounded event channel: when the consumer falls behind, the connector stops reading from the carrier rather
/// than buffering without limit.
pub fn event_channel(capacity: usize) -> (EventSender, EventStream) {
    let (sender, receiver) = mpsc::channel(capacity);
    (EventSender(sender), EventStream(receiver))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DeliveryState, Receipt};
    use futures::StreamExt;

    fn receipt(id: &str) -> ConnectorEvent {
        ConnectorEvent::Receipt(Receipt {
            carrier_id: id.into(),
            state: DeliveryState::Delivered,
            error_code: None,
            to: None,
        })
    }

    #[tokio::test]
    async fn a_tracked_event_is_answered_with_what_the_consumer_did() {
        let (sender, mut stream) = event_channel(4);
        let first = sender.send_tracked(receipt("1")).await.expect("open");
        let second = sender.send_tracked(receipt("2")).await.expect("open");
        let third = sender.send_tracked(receipt("3")).await.expect("open");
        stream.next_incoming().await.expect("first").settle.kept();
        stream
            .next_incoming()
            .await
            .expect("second")
            .settle
            .not_kept();
        drop(stream.next_incoming().await.expect("third"));
        assert_eq!(first.wait().await, Settled::Kept);
        assert_eq!(second.wait().await, Settled::NotKept);
        assert_eq!(third.wait().await, Settled::NotKept, "dropped unsettled");
    }

    #[tokio::test]
    async fn reading_as_a_plain_stream_keeps_each_event() {
        let (sender, mut stream) = event_channel(4);
        let settlement = sender.send_tracked(receipt("1")).await.expect("open");
        assert_eq!(stream.next().await, Some(receipt("1")));
        assert_eq!(settlement.wait().await, Settled::Kept);
    }

    #[tokio::test]
    async fn a_closed_stream_refuses_new_events_and_answers_pending_ones_not_kept() {
        let (sender, stream) = event_channel(4);
        let pending = sender.send_tracked(receipt("1")).await.expect("open");
        drop(stream);
        assert_eq!(pending.wait().await, Settled::NotKept);
        assert_eq!(sender.send(receipt("2")).await, Err(Closed));
    }
}
