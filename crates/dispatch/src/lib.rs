//! Dispatch: moves queued messages to carriers. It declares the queue it needs (`ports::Queue`, implemented by
//! canvass-store), asks the compliance rules of canvass-campaigns before every send, picks a route and a channel,
//! paces sends with token buckets, retries temporary failures, falls back RCS → MMS → SMS with a link, and turns
//! carrier receipts into the status machine's final states.
#![forbid(unsafe_code)]

pub mod events;
pub mod fallback;
pub mod hours;
pub mod optouts;
pub mod plan;
pub mod ports;
mod process;
pub mod rate;
pub mod receipts;
pub mod retry;
pub mod routes;
pub mod routing;
pub mod settler;
pub mod worker;
