//! What dispatch needs from storage. canvass-store implements [`Queue`] on SQLite and PostgreSQL; a scale-out
//! deployment implements it again over NATS JetStream.
//!
//! Instants are milliseconds since the Unix epoch (`i64`), as stored.

use canvass_types::{CampaignId, Channel, MessageId, MessageStatus, TenantId};
use std::future::Future;

/// A message handed to a worker under a lease, with what the worker needs to personalise and check it.
#[derive(Debug, Clone, PartialEq)]
pub struct Claimed {
    /// The message row.
    pub id: MessageId,
    /// Its tenant.
    pub tenant: TenantId,
    /// Its campaign, when it came from one.
    pub campaign: Option<CampaignId>,
    /// Recipient, E.164.
    pub phone: String,
    /// The variant chosen at expansion.
    pub variant: String,
    /// The channel last tried, if any: fallback resumes after it.
    pub channel: Option<Channel>,
    /// The sender chosen for this recipient, if one was fixed already.
    pub sender: Option<String>,
    /// Attempts so far, this claim included.
    pub attempts: u32,
    /// After this instant the message expires instead of being sent.
    pub expires_at: Option<i64>,
    /// The number is on the tenant's opt-out list, or the contact is marked opted out.
    pub opted_out: bool,
    /// The contact's fields for templates and quiet hours; `None` for a number that is not a contact.
    pub contact: Option<ContactFields>,
}

/// The contact fields message templates and quiet hours read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ContactFields {
    /// Given name.
    pub given_name: Option<String>,
    /// Family name.
    pub family_name: Option<String>,
    /// ZIP code.
    pub zip: Option<String>,
    /// USPS state.
    pub state: Option<String>,
    /// County name.
    pub county: Option<String>,
    /// IANA time zone.
    pub time_zone: Option<String>,
    /// Issue tags, sorted.
    pub issues: Vec<String>,
    /// Region memberships as (layer kind, region name), e.g. ("district", "PA-03").
    pub regions: Vec<(String, String)>,
    /// Free-form attributes from the import (a JSON object).
    pub attrs: serde_json::Value,
}

/// What became of a claimed message; written back in batches.
#[derive(Debug, Clone, PartialEq)]
pub enum Settlement {
    /// A carrier accepted it. The row becomes `sent` and waits for a receipt until `receipt_deadline`.
    Sent {
        /// The message.
        id: MessageId,
        /// The channel that carried it.
        channel: Channel,
        /// The route (connector name).
        route: String,
        /// The sender used.
        sender: String,
        /// The carrier's id for it (the first, when segments got several), for receipt correlation.
        carrier_id: Option<String>,
        /// SMS segments or 1.
        segments: u32,
        /// When a missing receipt turns the message `expired`.
        receipt_deadline: i64,
    },
    /// Not now: back to `queued` until `due_at` (quiet hours, a temporary failure, throttling, fallback).
    Retry {
        /// The message.
        id: MessageId,
        /// When to try again.
        due_at: i64,
        /// The channel to resume from (the one tried last).
        channel: Option<Channel>,
        /// Why, for the record; `None` when nothing went wrong (e.g. quiet hours).
        error_code: Option<String>,
        /// Details.
        detail: Option<String>,
        /// Whether this attempt counts toward the retry cap (quiet hours and pacing do not).
        counts: bool,
    },
    /// Finished without a receipt to wait for: failed, expired or suppressed.
    Done {
        /// The message.
        id: MessageId,
        /// A terminal status.
        status: MessageStatus,
        /// Why.
        error_code: Option<String>,
        /// Details.
        detail: Option<String>,
    },
}

impl Settlement {
    /// The message this settles.
    pub fn id(&self) -> MessageId {
        match self {
            Settlement::Sent { id, .. }
            | Settlement::Retry { id, .. }
            | Settlement::Done { id, .. } => *id,
        }
    }
}

/// A carrier receipt, already mapped to the status it ends in.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceiptUpdate {
    /// The carrier's id, as returned at submit.
    pub carrier_id: String,
    /// `Delivered`, `Undelivered`, `Expired` or `Failed`.
    pub status: MessageStatus,
    /// The carrier's error code, if any.
    pub error_code: Option<String>,
    /// When it arrived.
    pub at: i64,
}

/// How a batch of receipts landed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReceiptTally {
    /// Moved a `sent` message (or one expired for want of a receipt) to its final state.
    pub applied: u64,
    /// Matched a message that already had its final receipt, or one not yet marked sent: ignored.
    pub ignored: u64,
    /// The carrier ids that matched no message, once per receipt: the caller keeps those to try again.
    pub unknown: Vec<String>,
}

/// An inbound message (reply, MO) to keep in the inbox.
#[derive(Debug, Clone, PartialEq)]
pub struct InboundRecord {
    /// The tenant that owns the number it was sent to.
    pub tenant: TenantId,
    /// Sender, E.164.
    pub from: String,
    /// Our number it was sent to.
    pub to: String,
    /// Text, if any.
    pub body: Option<String>,
    /// Rehosted media as (content type, blob key).
    pub media: Vec<(String, String)>,
    /// The compliance keyword it was, if any: `stop`, `start`, `help`.
    pub keyword: Option<String>,
    /// The carrier's id for it.
    pub carrier_id: Option<String>,
    /// When it arrived.
    pub at: i64,
}

/// A change of consent, for the ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsentChange {
    /// Tenant.
    pub tenant: TenantId,
    /// Number, E.164.
    pub phone: String,
    /// Opted in (`true`) or out (`false`).
    pub opt_in: bool,
    /// Where it came from: `sms_keyword`, `import`, `api`, `dashboard`, …
    pub source: String,
    /// What proves it, e.g. the message text and carrier id.
    pub evidence: Option<String>,
    /// When.
    pub at: i64,
}

/// Storage failures, as text: dispatch only logs them and retries.
#[derive(Debug, thiserror::Error)]
#[error("queue: {0}")]
pub struct QueueError(pub String);

/// The durable queue and the records around it.
///
/// Claims are due-ordered and batched; a claim is a lease, so a worker that dies leaves its messages to be claimed
/// again when the lease runs out (at-least-once toward carriers, duplicates bounded by the in-flight window).
pub trait Queue: Send + Sync + 'static {
    /// Claims up to `limit` messages that are `queued` and due, or `sending` with a lapsed lease, ordered by due
    /// time; marks them `sending` with a lease until `now + lease_ms` and counts the attempt.
    fn claim(
        &self,
        owner: &str,
        limit: usize,
        now: i64,
        lease_ms: i64,
    ) -> impl Future<Output = Result<Vec<Claimed>, QueueError>> + Send;

    /// Writes a batch of outcomes in one transaction. A settlement for a message that is no longer `sending`
    /// (its lease lapsed and another worker took it, or a receipt already finished it) changes nothing.
    fn settle(
        &self,
        batch: &[Settlement],
        now: i64,
    ) -> impl Future<Output = Result<(), QueueError>> + Send;

    /// Applies receipts by carrier id. A receipt for a message already in a receipt-given final state is
    /// ignored (duplicate); a late receipt for a message expired for want of one corrects it.
    fn apply_receipts(
        &self,
        batch: &[ReceiptUpdate],
    ) -> impl Future<Output = Result<ReceiptTally, QueueError>> + Send;

    /// Moves `sent` messages whose receipt deadline passed to `expired` (`no_receipt`); returns how many.
    fn expire_unreceipted(
        &self,
        now: i64,
        limit: usize,
    ) -> impl Future<Output = Result<u64, QueueError>> + Send;

    /// Records a consent change in the ledger and applies it to the opt-out list (and the contact's flag).
    /// Returns whether the number's state changed (a second STOP changes nothing).
    fn record_consent(
        &self,
        change: &ConsentChange,
    ) -> impl Future<Output = Result<bool, QueueError>> + Send;

    /// The tenant whose number `phone` is (inbound messages and keywords belong to it); `None` when no account
    /// registered it.
    fn number_owner(
        &self,
        phone: &str,
    ) -> impl Future<Output = Result<Option<TenantId>, QueueError>> + Send;

    /// Keeps an inbound message in the inbox, linked to the contact when the number is one.
    fn record_inbound(
        &self,
        record: &InboundRecord,
    ) -> impl Future<Output = Result<(), QueueError>> + Send;
}

/// Where inbound media is rehosted (the blob store): returns the key to keep in the inbox.
pub trait MediaSink: Send + Sync + 'static {
    /// Stores `bytes` and returns their key.
    fn put(&self, bytes: &[u8]) -> impl Future<Output = Result<String, QueueError>> + Send;
}
