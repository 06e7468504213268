//! Campaigns: what each recipient is sent and when. The compliance module vetoes everything else: nothing is sent
//! outside the recipient's lawful hours, and an opt-out keyword is recognised however it is typed.
//! Message text is a sandboxed template filled per recipient (`text`). A campaign is written as a definition
//! (`definition`), previewed with its SMS cost (`preview`, `sms_cost`), sent from a sticky number of its pool
//! (`sender`), and its links carry signed per-message tokens (`links`).
#![forbid(unsafe_code)]

pub mod compliance;
pub mod definition;
pub mod expansion;
pub mod lifecycle;
pub mod links;
pub mod ports;
pub mod preview;
pub mod sender;
pub mod sms_cost;
pub mod text;
