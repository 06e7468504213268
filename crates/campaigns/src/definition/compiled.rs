//! A definition once checked: compiled segment and rules, templates per variant, and times in milliseconds.

use super::{Media, RcsCard};
use crate::compliance::SendWindow;
use crate::ports::{CompiledRule, ExpansionPlan, FrequencyCap};
use crate::sender::SenderPool;
use crate::text::MessageTemplate;
use canvass_audience::segment::Checked;
use canvass_types::{CampaignId, Channel, Msisdn, TenantId};
use std::collections::BTreeMap;

/// When undelivered messages expire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// This many milliseconds after the campaign becomes due.
    After(i64),
    /// At this instant (ms since the epoch).
    At(i64),
}

/// One variant, its templates compiled.
#[derive(Debug)]
pub struct CompiledVariant {
    /// Its name.
    pub name: String,
    /// The text.
    pub text: MessageTemplate,
    /// The MMS subject.
    pub subject: Option<MessageTemplate>,
    /// Media as written.
    pub media: Option<Media>,
    /// A picture's variables, compiled.
    pub media_vars: BTreeMap<String, MessageTemplate>,
    /// RCS card fields as written.
    pub card: Option<RcsCard>,
}

/// A definition checked and ready to run.
#[derive(Debug)]
pub struct Compiled {
    /// The audience; `None` is everyone.
    pub segment: Option<Checked>,
    /// Variant rules, in order.
    pub rules: Vec<CompiledRule>,
    /// The variant when no rule holds.
    pub default_variant: String,
    /// Every variant, in the order written.
    pub variants: Vec<CompiledVariant>,
    /// Channels to try, richest first; non-empty, no repeats.
    pub channels: Vec<Channel>,
    /// Sending numbers: E.164, or short codes as digits.
    pub senders: Vec<String>,
    /// Not before this instant (ms).
    pub start_at: Option<i64>,
    /// The campaign's daily window.
    pub window: Option<SendWindow>,
    /// Messages per second.
    pub pace: Option<f64>,
    /// The frequency cap.
    pub frequency_cap: Option<FrequencyCap>,
    /// When undelivered messages expire.
    pub expiry: Option<Expiry>,
    /// Report labels.
    pub tags: Vec<String>,
    /// The tracked link's destination.
    pub link: Option<String>,
    /// Test-send numbers, normalised.
    pub proof: Vec<Msisdn>,
}

impl Compiled {
    /// The variant called `name`.
    pub fn variant(&self, name: &str) -> Option<&CompiledVariant> {
        self.variants.iter().find(|v| v.name == name)
    }

    /// The sender pool.
    pub fn sender_pool(&self) -> SenderPool {
        SenderPool::new(&self.senders)
    }

    /// When messages due at `due_at` expire.
    pub fn expires_at(&self, due_at: i64) -> Option<i64> {
        self.expiry.map(|e| match e {
            Expiry::After(ms) => due_at.saturating_add(ms),
            Expiry::At(at) => at,
        })
    }

    /// The expansion plan for a launch at `now`: due at the schedule's start, or now if that has passed.
    pub fn expansion_plan(
        &self,
        campaign: CampaignId,
        tenant: TenantId,
        now: i64,
    ) -> ExpansionPlan {
        let due_at = self.start_at.map_or(now, |start| start.max(now));
        ExpansionPlan {
            campaign,
            tenant,
            segment: self.segment.clone(),
            rules: self.rules.clone(),
            default_variant: self.default_variant.clone(),
            due_at,
            expires_at: self.expires_at(due_at),
            frequency_cap: self.frequency_cap,
            now,
        }
    }
}
