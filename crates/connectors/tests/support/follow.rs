//! Receivers answer a carrier (an HTTP response, an SMPP deliver_sm_resp) only once their event is
//! settled, so a test that posts and then reads would wait on itself. `follow` reads a route's events from the
//! moment it is built, counts each as kept as it is read, and hands them on in order.

use canvass_connectors::{EventStream, event_channel};
use futures::StreamExt;

/// A stream of the same events, read (and kept) in the background from now on.
pub fn follow(mut events: EventStream) -> EventStream {
    let (sender, followed) = event_channel(4096);
    tokio::spawn(async move {
        while let Some(event) = events.next().await {
            if sender.send(event).await.is_err() {
                return;
            }
        }
    });
    followed
}
