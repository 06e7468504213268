//! Campaigns: what each recipient is sent and when. The compliance module vetoes everything else: nothing is sent
//! outside the recipient's lawful hours, and an opt-out keyword is recognised however it is typed.
//! Message text is a sandboxed template filled per recipient (`text`).
#![forbid(unsafe_code)]

pub mod compliance;
pub mod lifecycle;
pub mod ports;
pub mod text;
