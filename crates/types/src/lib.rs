//! Shared vocabulary: the small value types every other Canvass crate speaks.
#![forbid(unsafe_code)]

mod clock;
mod ids;
mod message;
pub mod metric_names;
mod msisdn;
pub mod personality;

pub use clock::{Clock, FixedClock, OffsetClock, SystemClock};
pub use ids::{CampaignId, ContactId, MessageId, TenantId};
pub use message::{Channel, MessageStatus, UnknownName};
pub use msisdn::{Msisdn, MsisdnError};
pub use personality::Personality;
