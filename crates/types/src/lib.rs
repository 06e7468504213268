//! Shared vocabulary: the small value types every other Canvass crate speaks.
#![forbid(unsafe_code)]

mod clock;
mod ids;
pub mod metric_names;
mod msisdn;
pub mod personality;

pub use clock::{Clock, FixedClock, SystemClock};
pub use ids::{ContactId, TenantId};
pub use msisdn::{Msisdn, MsisdnError};
pub use personality::Personality;
