//! What handsets told us about themselves, remembered per number so the next message to that number can be
//! adapted to the tighter of the carrier's and the handset's limits.
//!
//! The capabilities are JSON (the shape of `canvass_media::profile::HandsetCapabilities`); the store keeps the
//! latest report per tenant and number.

use crate::carriers::{json_column, now, timestamp_text};
use crate::sql::{Statement, Value};
use crate::{Store, StoreError};
use canvass_types::{Msisdn, TenantId};
use sqlx::Row;

/// How a handset's capabilities reached us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CapabilitySource {
    /// An MM7 delivery report's (or DeliverReq's) `UACapabilities`.
    Mm7,
    /// A UAProf document, from a URL the handset sent in an MM1 request.
    Uaprof,
}

impl CapabilitySource {
    /// The value stored in the `source` column.
    pub fn as_str(self) -> &'static str {
        match self {
            CapabilitySource::Mm7 => "mm7",
            CapabilitySource::Uaprof => "uaprof",
        }
    }

    fn parse(text: &str) -> Result<Self, StoreError> {
        match text {
            "mm7" => Ok(CapabilitySource::Mm7),
            "uaprof" => Ok(CapabilitySource::Uaprof),
            other => Err(StoreError::Corrupt(format!(
                "handset capability source {other:?} is neither mm7 nor uaprof"
            ))),
        }
    }
}

/// The capabilities last recorded for one number.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StoredHandset {
    /// The number, E.164.
    pub phone: String,
    /// The capabilities as JSON.
    pub capabilities: serde_json::Value,
    /// How they arrived.
    pub source: CapabilitySource,
    /// The UAProf URL they were read from, if any.
    pub profile_url: Option<String>,
    /// When they were last reported, RFC 3339 in UTC.
    pub seen_at: String,
}

impl Store {
    /// Remembers what a handset reported, replacing any earlier report for the same number.
    pub async fn record_handset_capabilities(
        &self,
        tenant: TenantId,
        phone: &Msisdn,
        capabilities: &serde_json::Value,
        source: CapabilitySource,
        profile_url: Option<&str>,
    ) -> Result<(), StoreError> {
        let backend = self.backend();
        let mut s = Statement::new(backend);
        s.push("INSERT INTO handset_capabilities (tenant_id, phone, capabilities, source, profile_url) VALUES (")
            .bind(Value::Int(Some(tenant.0)))
            .push(", ")
            .bind(Value::Text(Some(phone.as_str().to_owned())))
            .push(", ")
            .bind(Value::Text(Some(capabilities.to_string())))
            .push(", ")
            .bind(Value::Text(Some(source.as_str().to_owned())))
            .push(", ")
            .bind(Value::Text(profile_url.map(str::to_owned)))
            .push(") ON CONFLICT (tenant_id, phone) DO UPDATE SET capabilities = excluded.capabilities, ")
            .push("source = excluded.source, profile_url = excluded.profile_url, seen_at = ")
            .push(now(backend));
        crate::execute!(self, s)?;
        Ok(())
    }

    /// The capabilities last recorded for a number, if any.
    pub async fn handset_capabilities(
        &self,
        tenant: TenantId,
        phone: &Msisdn,
    ) -> Result<Option<StoredHandset>, StoreError> {
        let backend = self.backend();
        let mut s = Statement::new(backend);
        s.push("SELECT phone, capabilities, source, profile_url, ")
            .push(&timestamp_text(backend, "seen_at"))
            .push(" FROM handset_capabilities WHERE tenant_id = ")
            .bind(Value::Int(Some(tenant.0)))
            .push(" AND phone = ")
            .bind(Value::Text(Some(phone.as_str().to_owned())));
        macro_rules! handset {
            ($row:expr) => {
                match $row {
                    None => Ok(None),
                    Some(r) => {
                        let phone: String = r.try_get(0)?;
                        let capabilities: String = r.try_get(1)?;
                        let source: String = r.try_get(2)?;
                        Ok(Some(StoredHandset {
                            capabilities: json_column(&format!("handset {phone}"), &capabilities)?,
                            source: CapabilitySource::parse(&source)?,
                            profile_url: r.try_get(3)?,
                            seen_at: r.try_get(4)?,
                            phone,
                        }))
                    }
                }
            };
        }
        match self {
            Store::Sqlite(pool) => handset!(s.sqlite().fetch_optional(pool).await?),
            Store::Postgres(pool) => handset!(s.postgres().fetch_optional(pool).await?),
        }
    }
}
