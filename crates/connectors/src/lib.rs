//! Carrier connectors: one [`Connector`] trait, a conformance kit every adapter passes, and one module per
//! protocol. A connector hands a message to a carrier and reports what the carrier said, as data: the caller
//! (dispatch) decides what to retry. A message counts as handed over only once the carrier has accepted it.
#![forbid(unsafe_code)]

pub mod backoff;
mod capabilities;
mod connector;
mod error;
mod events;
pub mod fetch;
pub mod http;
pub mod kit;
mod message;
pub mod mm1;
pub mod mm7;
mod outcome;
pub mod rcs;
mod rich;
pub mod smpp;
pub mod tls;

pub use capabilities::{Capabilities, Channel};
pub use connector::{Built, Connector, Healthcheck, Parts};
pub use error::ConnectorError;
pub use events::{
    Closed, EventSender, EventStream, Incoming, Settle, Settled, Settlement, event_channel,
};
pub use message::{Content, MediaPart, MmsContent, OutboundMessage};
pub use outcome::{ConnectorEvent, DeliveryState, InboundMessage, Receipt, SubmitOutcome};
pub use rich::{CardMedia, RcsContent, RichCard, Suggestion};
