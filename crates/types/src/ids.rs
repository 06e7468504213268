//! Row identifiers. Every row carries a tenant from day one, so multi-tenancy never needs a migration.

use serde::{Deserialize, Serialize};

/// The tenant (account) that owns a row. Tenant 1 is the built-in default account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TenantId(pub i64);

impl TenantId {
    /// The account used until tenants are created explicitly.
    pub const DEFAULT: TenantId = TenantId(1);
}

/// A contact's primary key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ContactId(pub i64);

/// A campaign's primary key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CampaignId(pub i64);

/// A message's primary key: one row per recipient per campaign, and the queue's unit of work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MessageId(pub i64);
