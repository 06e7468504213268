//! What campaigns need from storage; canvass-store implements [`CampaignStore`] on SQLite and PostgreSQL.
//!
//! Instants are milliseconds since the Unix epoch (`i64`), as stored.

use canvass_audience::segment::Checked;
use canvass_types::{CampaignId, TenantId};
use std::future::Future;

/// A campaign's lifecycle state. Transitions are checked by [`crate::lifecycle`].
pub use crate::lifecycle::CampaignState;

/// A stored campaign.
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignRecord {
    /// Primary key.
    pub id: CampaignId,
    /// Owner.
    pub tenant: TenantId,
    /// Unique per tenant.
    pub name: String,
    /// The definition as JSON text (see [`crate::definition`]).
    pub definition: String,
    /// Lifecycle state.
    pub state: CampaignState,
    /// The highest contact id the expansion may reach, fixed at launch.
    pub frozen_through: Option<i64>,
    /// The expansion cursor: every contact id up to here has been expanded.
    pub expanded_through: i64,
    /// Created.
    pub created_at: i64,
    /// Last changed.
    pub updated_at: i64,
}

/// A stored lifecycle change.
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignEvent {
    /// When.
    pub at: i64,
    /// From (none for creation).
    pub from: Option<CampaignState>,
    /// To.
    pub to: CampaignState,
    /// Why, e.g. `launched by cli`.
    pub note: Option<String>,
}

/// A variant rule compiled against the tenant's schema: the first rule whose expression holds picks the variant.
#[derive(Debug, Clone)]
pub struct CompiledRule {
    /// The condition, in the segment language.
    pub when: Checked,
    /// The variant's name.
    pub variant: String,
}

/// A frequency cap: at most `max` messages to one contact within `within_ms`, across the tenant's campaigns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrequencyCap {
    /// Messages allowed in the window.
    pub max: u32,
    /// Window length in milliseconds.
    pub within_ms: i64,
}

/// Everything one chunk of expansion needs; fixed for the life of a launch.
#[derive(Debug, Clone)]
pub struct ExpansionPlan {
    /// The campaign.
    pub campaign: CampaignId,
    /// Its tenant.
    pub tenant: TenantId,
    /// The audience; `None` is everyone.
    pub segment: Option<Checked>,
    /// Variant rules, in order.
    pub rules: Vec<CompiledRule>,
    /// The variant when no rule holds.
    pub default_variant: String,
    /// When the messages become due (launch time or the schedule's start).
    pub due_at: i64,
    /// When undelivered work expires, if the campaign says.
    pub expires_at: Option<i64>,
    /// The cap, if any; capped contacts get a `suppressed` row (`frequency_cap`).
    pub frequency_cap: Option<FrequencyCap>,
    /// Now, for `created_at` and the cap's window.
    pub now: i64,
}

/// What one chunk did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExpandedChunk {
    /// Rows inserted as `queued`.
    pub queued: u64,
    /// Rows inserted as `suppressed` (opted out, frequency cap).
    pub suppressed: u64,
    /// The cursor after this chunk (committed with the rows).
    pub through: i64,
    /// Whether the cursor reached the frozen bound.
    pub done: bool,
}

/// Message counts grouped for reports: (variant, state, status) → count. `state` is the contact's USPS state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountRow {
    /// Variant name.
    pub variant: String,
    /// The recipient's state, if known.
    pub state: Option<String>,
    /// Message status name.
    pub status: String,
    /// How many.
    pub count: i64,
}

/// Storage failures, as text.
#[derive(Debug, thiserror::Error)]
#[error("campaign store: {0}")]
pub struct StoreFailure(pub String);

/// Campaign rows, their lifecycle log, and expansion into the message queue.
pub trait CampaignStore: Send + Sync {
    /// Creates a campaign in `draft`; fails if the name is taken for the tenant.
    fn create_campaign(
        &self,
        tenant: TenantId,
        name: &str,
        definition: &str,
        now: i64,
    ) -> impl Future<Output = Result<CampaignRecord, StoreFailure>> + Send;

    /// Replaces a draft's definition.
    fn update_definition(
        &self,
        id: CampaignId,
        definition: &str,
        now: i64,
    ) -> impl Future<Output = Result<(), StoreFailure>> + Send;

    /// Finds a campaign by name.
    fn campaign_by_name(
        &self,
        tenant: TenantId,
        name: &str,
    ) -> impl Future<Output = Result<Option<CampaignRecord>, StoreFailure>> + Send;

    /// Finds a campaign by id.
    fn campaign(
        &self,
        id: CampaignId,
    ) -> impl Future<Output = Result<Option<CampaignRecord>, StoreFailure>> + Send;

    /// Every campaign of a tenant, newest first.
    fn campaigns(
        &self,
        tenant: TenantId,
    ) -> impl Future<Output = Result<Vec<CampaignRecord>, StoreFailure>> + Send;

    /// Campaigns in `running` state (of every tenant): what a restarted worker resumes expanding.
    fn running_campaigns(
        &self,
    ) -> impl Future<Output = Result<Vec<CampaignRecord>, StoreFailure>> + Send;

    /// Moves the campaign from `from` to `to` if it is still in `from`, and logs the change. Returns whether it
    /// moved. Entering `running` the first time freezes the expansion bound; `paused` holds its queued messages,
    /// `running` from `paused` releases them, `cancelled` suppresses them (`cancelled`).
    fn transition(
        &self,
        id: CampaignId,
        from: CampaignState,
        to: CampaignState,
        note: Option<&str>,
        now: i64,
    ) -> impl Future<Output = Result<bool, StoreFailure>> + Send;

    /// The lifecycle log, oldest first.
    fn campaign_events(
        &self,
        id: CampaignId,
    ) -> impl Future<Output = Result<Vec<CampaignEvent>, StoreFailure>> + Send;

    /// Expands the next `chunk` contact ids after the cursor (up to the frozen bound) into messages, in one
    /// transaction with the cursor. Idempotent across crashes: a chunk either landed with its cursor or not at all.
    fn expand_chunk(
        &self,
        plan: &ExpansionPlan,
        chunk: usize,
    ) -> impl Future<Output = Result<ExpandedChunk, StoreFailure>> + Send;

    /// Message counts by variant, recipient state and status.
    fn campaign_counts(
        &self,
        id: CampaignId,
    ) -> impl Future<Output = Result<Vec<CountRow>, StoreFailure>> + Send;

    /// Enqueues one message outside expansion (test sends to the proof list); `contact_id` when the number is one.
    fn enqueue_single(
        &self,
        campaign: CampaignId,
        tenant: TenantId,
        phone: &str,
        variant: &str,
        due_at: i64,
        now: i64,
    ) -> impl Future<Output = Result<i64, StoreFailure>> + Send;
}
