//! A route's event stream, kept as it arrives so that several messages on one route can each wait for their
//! own receipt at the same time.

use std::time::Duration;

use canvass_connectors::{ConnectorEvent, DeliveryState, EventStream, Receipt};
use futures::StreamExt;
use tokio::sync::watch;

/// How long a message waits for its receipt before the tour reports it as missing.
pub const EVENT_WAIT: Duration = Duration::from_secs(5);

/// Everything one route reported so far.
pub struct Events(watch::Receiver<Vec<ConnectorEvent>>);

impl Events {
    /// Follows `stream` until it ends.
    pub fn follow(mut stream: EventStream) -> Self {
        let (seen, follower) = watch::channel(Vec::new());
        tokio::spawn(async move {
            while let Some(event) = stream.next().await {
                seen.send_modify(|events| events.push(event));
            }
        });
        Self(follower)
    }

    /// The first answer `pick` finds in the events, waiting up to [`EVENT_WAIT`] for it.
    pub async fn wait<T>(&self, pick: impl Fn(&[ConnectorEvent]) -> Option<T>) -> Option<T> {
        let mut follower = self.0.clone();
        let found =
            tokio::time::timeout(EVENT_WAIT, follower.wait_for(|seen| pick(seen).is_some()))
                .await
                .ok()?
                .ok()?;
        pick(&found)
    }

    /// The final receipt for `carrier_id`.
    pub async fn final_receipt(&self, carrier_id: &str) -> Option<Receipt> {
        self.wait(|seen| final_receipt_in(seen, carrier_id)).await
    }

    /// The final receipts for every id in `carrier_ids`, once all have come.
    pub async fn final_receipts(&self, carrier_ids: &[String]) -> Option<Vec<Receipt>> {
        self.wait(|seen| {
            carrier_ids
                .iter()
                .map(|id| final_receipt_in(seen, id))
                .collect()
        })
        .await
    }

    /// The receipt for `carrier_id` in `state` (RBM's READ comes after its final DELIVERED).
    pub async fn receipt_in_state(
        &self,
        carrier_id: &str,
        state: DeliveryState,
    ) -> Option<Receipt> {
        self.wait(|seen| {
            receipts_for(seen, carrier_id)
                .find(|r| r.state == state)
                .cloned()
        })
        .await
    }

    /// What the handset did with MM1 message `message_id`, each step once, in order (a push of several
    /// segments reports "notified" per segment).
    pub fn handset_steps(&self, message_id: &str) -> Vec<String> {
        let mut steps: Vec<String> = Vec::new();
        for event in self.0.borrow().iter() {
            if let ConnectorEvent::Handset {
                message_id: id,
                what,
            } = event
                && id == message_id
                && !steps.contains(what)
            {
                steps.push(what.clone());
            }
        }
        steps
    }

    /// Every state reported for `carrier_id`, in order.
    pub fn states(&self, carrier_id: &str) -> Vec<DeliveryState> {
        receipts_for(&self.0.borrow(), carrier_id)
            .map(|r| r.state)
            .collect()
    }
}

fn receipts_for<'a>(
    seen: &'a [ConnectorEvent],
    carrier_id: &'a str,
) -> impl Iterator<Item = &'a Receipt> {
    seen.iter().filter_map(move |event| match event {
        ConnectorEvent::Receipt(receipt) if receipt.carrier_id == carrier_id => Some(receipt),
        _ => None,
    })
}

fn final_receipt_in(seen: &[ConnectorEvent], carrier_id: &str) -> Option<Receipt> {
    receipts_for(seen, carrier_id)
        .find(|r| r.state.is_final())
        .cloned()
}
