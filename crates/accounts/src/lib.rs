//! Accounts and their credentials.
//!
//! An agency or reseller account owns sub-accounts (its clients); each account is a tenant. Account ids are
//! Twilio-shaped (`AC` + 32 hex digits) because the official SDKs check them, and API keys are `SK` + 32 hex with
//! a secret. Auth tokens and key secrets are stored only as argon2id hashes; auth tokens are derived from a
//! server secret ([`TokenKey`]) so that webhooks can be signed with them.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod account;
mod error;
mod scope;
mod secret;
mod sid;
mod token_key;

pub use account::{Account, ApiKey, Issued, may_act_on};
pub use error::AccountError;
pub use scope::{Scope, Scopes};
pub use secret::{Secret, hash_secret, verify_secret};
pub use sid::{AccountSid, KeySid, ServiceSid, message_sid};
pub use token_key::TokenKey;
