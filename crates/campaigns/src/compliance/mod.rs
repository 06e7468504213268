//! Compliance rules that every send passes through: quiet hours in the recipient's own time zone (federal, state
//! and the campaign's own window), and the keywords that opt a recipient out, back in, or ask for help.

mod keywords;
mod open_hours;
mod quiet_hours;
mod state_rules;

pub use keywords::{Keyword, classify};
pub use open_hours::next_open_afternoon;
pub use quiet_hours::{SendWindow, next_allowed, window_on};
pub use state_rules::{DayRule, StateRule, state_rule};
