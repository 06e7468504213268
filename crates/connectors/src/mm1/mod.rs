//! MM1 over SMPP: Canvass acts as the MMSC. It keeps each message's m-retrieve-conf at a URL of its own, sends
//! the m-notification-ind to the handset as a WAP Push through an SMPP route, records the handset's fetch and its
//! m-notifyresp-ind / m-acknowledge-ind, and takes the m-delivery-ind as the delivery receipt
//! (OMA-MMS-CTR 1.3 §6: the immediate and deferred retrieval flows). A push SMS that fails (a landline, an
//! expired SMS) fails the MMS with it.

mod content;
mod push_ids;
mod server;
mod status;

use std::{net::SocketAddr, sync::Arc, time::Duration};

use futures::{FutureExt, future::BoxFuture};

use crate::{
    Built, Capabilities, Channel, Connector, ConnectorError, ConnectorEvent, Content,
    DeliveryState, EventSender, EventStream, Healthcheck, Incoming, OutboundMessage, Receipt,
    SubmitOutcome, event_channel,
};

pub use content::ContentStore;
use push_ids::PushIds;
pub use status::delivery_state;

/// Sends a WAP Push (SMS user data segments with their UDH) to a handset. The SMPP connector implements it.
pub trait PushSender: Send + Sync + 'static {
    /// Submits the segments of one push; `Accepted` only when every segment was.
    fn push<'a>(
        &'a self,
        from: &'a str,
        to: &'a str,
        segments: Vec<Vec<u8>>,
    ) -> BoxFuture<'a, SubmitOutcome>;
}

/// Settings of an MM1 route.
#[derive(Debug, Clone)]
pub struct Mm1Config {
    /// Route name.
    pub name: String,
    /// Where our content server listens.
    pub listen: SocketAddr,
    /// The URL handsets reach that server at, without a trailing slash (`http://mms.example.com/mm1`); `None`
    /// uses `http://{listen}/mm1`.
    pub public_url: Option<String>,
    /// How long a notified message stays fetchable.
    pub expiry: Duration,
    /// Largest message we announce, in bytes (the carrier profile's cap).
    pub max_message_bytes: usize,
}

impl Mm1Config {
    /// A route serving on `listen`, with a day of expiry and a 600 KB cap.
    pub fn new(name: impl Into<String>, listen: SocketAddr) -> Self {
        Self {
            name: name.into(),
            listen,
            public_url: None,
            expiry: Duration::from_secs(86_400),
            max_message_bytes: 600 * 1024,
        }
    }
}

struct Mm1Connector {
    name: String,
    capabilities: Capabilities,
    store: Arc<ContentStore>,
    pusher: Arc<dyn PushSender>,
    push_ids: Arc<PushIds>,
    public_url: String,
    expiry: Duration,
    server: tokio::task::JoinHandle<()>,
}

/// Builds the MM1 connector over `pusher`. `push_events` is the SMPP route's own event stream: its inbound
/// messages pass through, and receipts of the push SMS are dropped, because the m-delivery-ind is what tells
/// whether the MMS arrived.
pub async fn build(
    config: Mm1Config,
    pusher: Arc<dyn PushSender>,
    push_events: EventStream,
) -> Result<Built, ConnectorError> {
    let (events, stream) = event_channel(1024);
    let store = Arc::new(ContentStore::default());
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| ConnectorError::Config(format!("cannot listen on {}: {e}", config.listen)))?;
    let local = listener
        .local_addr()
        .map_err(|e| ConnectorError::Config(e.to_string()))?;
    let public_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{local}/mm1"));
    let app = server::router(store.clone(), events.clone());
    let server = tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, app).await {
            tracing::error!(%error, "MM1 content server stopped");
        }
    });
    let push_ids = Arc::new(PushIds::new(100_000));
    tokio::spawn(forward_push_events(
        push_events,
        events,
        push_ids.clone(),
        store.clone(),
    ));
    let health_url = public_url.clone();
    let connector = Arc::new(Mm1Connector {
        name: config.name,
        capabilities: Capabilities {
            channels: vec![Channel::Mms],
            max_message_bytes: Some(config.max_message_bytes),
            max_per_second: None,
            window: 10,
        },
        store,
        pusher,
        push_ids,
        public_url,
        expiry: config.expiry,
        server,
    });
    let healthcheck = Healthcheck::new(move || {
        let url = health_url.clone();
        async move { server::check_reachable(&url).await }.boxed()
    });
    Ok(Built {
        connector,
        healthcheck,
        events: stream,
    })
}

/// Passes the push route's inbound messages through, and turns its receipts into what they mean for the MMS: a
/// delivered push is a handset event ("notified"); a failed one fails the MMS.
async fn forward_push_events(
    mut push_events: EventStream,
    events: EventSender,
    push_ids: Arc<PushIds>,
    store: Arc<ContentStore>,
) {
    while let Some(Incoming { event, settle }) = push_events.next_incoming().await {
        let event = match event {
            ConnectorEvent::Receipt(receipt) => {
                let final_state = receipt.state.is_final();
                let Some(token) = push_ids.token_of(&receipt.carrier_id, final_state) else {
                    settle.kept();
                    continue;
                };
                match receipt.state {
                    DeliveryState::Delivered => ConnectorEvent::Handset {
                        message_id: token,
                        what: "notified".into(),
                    },
                    DeliveryState::EnRoute | DeliveryState::Read => {
                        settle.kept();
                        continue;
                    }
                    _ => {
                        store.remove(&token);
                        ConnectorEvent::Receipt(Receipt {
                            carrier_id: token,
                            ..receipt
                        })
                    }
                }
            }
            other => other,
        };
        // The answer to the push route's carrier waits on the MMS event's own consumer.
        if events.forward(Incoming { event, settle }).await.is_err() {
            return;
        }
    }
}

impl Connector for Mm1Connector {
    fn name(&self) -> &str {
        &self.name
    }

    fn capabilities(&self) -> &Capabilities {
        &self.capabilities
    }

    fn submit<'a>(&'a self, message: &'a OutboundMessage) -> BoxFuture<'a, SubmitOutcome> {
        async move {
            let Content::Mms(mms) = &message.content else {
                return SubmitOutcome::PermanentFailure {
                    code: "unsupported_content".into(),
                    reason: "an MM1 route carries multimedia messages only".into(),
                };
            };
            let size = message.payload_bytes();
            if size > self.capabilities.max_message_bytes.unwrap_or(usize::MAX) {
                return SubmitOutcome::PermanentFailure {
                    code: "too_large".into(),
                    reason: format!("{size} bytes is over this route's cap"),
                };
            }
            let stored = match self.store.insert(message, mms, self.expiry) {
                Ok(stored) => stored,
                Err(reason) => {
                    return SubmitOutcome::PermanentFailure {
                        code: "encode".into(),
                        reason,
                    };
                }
            };
            let location = format!("{}/{}", self.public_url, stored.token);
            let segments =
                match content::notification_segments(message, mms, &stored, &location, self.expiry)
                {
                    Ok(segments) => segments,
                    Err(reason) => {
                        self.store.remove(&stored.token);
                        return SubmitOutcome::PermanentFailure {
                            code: "encode".into(),
                            reason,
                        };
                    }
                };
            match self.pusher.push(&message.from, &message.to, segments).await {
                // The handset names the message by its transaction id in every later PDU; so do receipts.
                SubmitOutcome::Accepted { carrier_ids } => {
                    self.push_ids.record(&carrier_ids, &stored.token);
                    SubmitOutcome::Accepted {
                        carrier_ids: vec![stored.token.clone()],
                    }
                }
                other => {
                    self.store.remove(&stored.token);
                    other
                }
            }
        }
        .boxed()
    }

    fn shutdown(&self) -> BoxFuture<'_, ()> {
        async move { self.server.abort() }.boxed()
    }
}
