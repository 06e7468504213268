//! Reads for people rather than workers: how a segment splits across a campaign's variants before launch, counts
//! by channel, the STOP replies a campaign saw, and one message with its contact for landing pages.

use crate::queue_claim::contact_fields;
use crate::sql::{Statement, Value};
use crate::{Backend, Store, StoreError};
use canvass_audience::segment::{Checked, Dialect, to_sql};
use canvass_campaigns::ports::CompiledRule;
use canvass_dispatch::ports::Claimed;
use canvass_types::{CampaignId, Channel, MessageId, TenantId};
use sqlx::Row;

fn dialect(backend: Backend) -> Dialect {
    match backend {
        Backend::Sqlite => Dialect::Sqlite,
        Backend::Postgres => Dialect::Postgres,
    }
}

fn push_condition(s: &mut Statement, checked: &Checked, tenant: TenantId, backend: Backend) {
    let filter = to_sql(checked, dialect(backend), tenant.0, s.next_param());
    s.push("(");
    s.push_fragment(&filter.sql, filter.params.iter().map(Value::from));
    s.push(")");
}

impl Store {
    /// How many of the segment's contacts each variant would get: the expansion's own `CASE`, counted.
    pub async fn variant_breakdown(
        &self,
        tenant: TenantId,
        segment: Option<&Checked>,
        rules: &[CompiledRule],
        default_variant: &str,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        let backend = self.backend();
        let mut s = Statement::new(backend);
        s.push("SELECT x.variant, count(*) FROM (SELECT ");
        if rules.is_empty() {
            s.bind(Value::Text(Some(default_variant.to_owned())));
        } else {
            s.push("CASE");
            for rule in rules {
                s.push(" WHEN ");
                push_condition(&mut s, &rule.when, tenant, backend);
                s.push(" THEN ")
                    .bind(Value::Text(Some(rule.variant.clone())));
            }
            s.push(" ELSE ")
                .bind(Value::Text(Some(default_variant.to_owned())));
            s.push(" END");
        }
        s.push(" AS variant FROM contacts c WHERE c.tenant_id = ")
            .bind(Value::Int(Some(tenant.0)));
        if let Some(segment) = segment {
            s.push(" AND ");
            push_condition(&mut s, segment, tenant, backend);
        }
        s.push(") x GROUP BY x.variant ORDER BY 2 DESC");
        fetch_all!(self, s, r => (r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?))
    }

    /// The phones of the tenant's newest contacts (highest ids), newest first.
    pub async fn last_contacts(
        &self,
        tenant: TenantId,
        n: usize,
    ) -> Result<Vec<String>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("SELECT phone FROM contacts WHERE tenant_id = ")
            .bind(Value::Int(Some(tenant.0)));
        s.push(" ORDER BY id DESC LIMIT ")
            .bind(Value::Int(Some(i64::try_from(n).unwrap_or(i64::MAX))));
        fetch_all!(self, s, r => r.try_get::<String, _>(0)?)
    }

    /// Whether any message of the campaign is still live (queued, sending or sent): one index probe, cheap enough
    /// to ask several times a second of a campaign of millions.
    pub async fn campaign_has_live(&self, campaign: CampaignId) -> Result<bool, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("SELECT 1 FROM messages WHERE campaign_id = ")
            .bind(Value::Int(Some(campaign.0)));
        s.push(" AND status IN ('queued', 'sending', 'sent') LIMIT 1");
        let rows = fetch_all!(self, s, r => r.try_get::<i32, _>(0)?)?;
        Ok(!rows.is_empty())
    }

    /// A campaign's queued messages due at or before `at` (ms): zero while the rest wait for quiet hours to end.
    pub async fn queued_due_by(&self, campaign: CampaignId, at: i64) -> Result<i64, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("SELECT count(*) FROM messages WHERE campaign_id = ")
            .bind(Value::Int(Some(campaign.0)));
        s.push(" AND status = 'queued' AND due_at <= ")
            .bind(Value::Int(Some(at)));
        let rows = fetch_all!(self, s, r => r.try_get::<i64, _>(0)?)?;
        Ok(rows.into_iter().next().unwrap_or(0))
    }

    /// Messages of a campaign by the channel that carried them (messages never sent have none).
    pub async fn channel_counts(
        &self,
        campaign: CampaignId,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("SELECT COALESCE(channel, 'none'), count(*) FROM messages WHERE campaign_id = ")
            .bind(Value::Int(Some(campaign.0)));
        s.push(" GROUP BY 1 ORDER BY 2 DESC");
        fetch_all!(self, s, r => (r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?))
    }

    /// Inbound messages that were a given compliance keyword, newest first, each with the status of the latest
    /// campaign message to that number: `(phone, what they wrote, status)`.
    pub async fn inbox_keywords(
        &self,
        tenant: TenantId,
        keyword: &str,
    ) -> Result<Vec<(String, String, String)>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push(
            "SELECT i.phone, COALESCE(i.body, ''), COALESCE((SELECT m.status || COALESCE(' (' || m.error_code || ')', '') \
             FROM messages m WHERE m.tenant_id = i.tenant_id AND m.phone = i.phone ORDER BY m.id DESC LIMIT 1), 'none') \
             FROM inbox i WHERE i.tenant_id = ",
        )
        .bind(Value::Int(Some(tenant.0)));
        s.push(" AND i.keyword = ")
            .bind(Value::Text(Some(keyword.to_owned())));
        s.push(" ORDER BY i.id DESC LIMIT 100");
        fetch_all!(self, s, r => (r.try_get::<String, _>(0)?, r.try_get::<String, _>(1)?, r.try_get::<String, _>(2)?))
    }

    /// Every message of a campaign as `(phone, status, channel)`, by id: for tests and exports.
    pub async fn message_outcomes(
        &self,
        campaign: CampaignId,
    ) -> Result<Vec<(String, String, Option<String>)>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("SELECT phone, status, channel FROM messages WHERE campaign_id = ")
            .bind(Value::Int(Some(campaign.0)));
        s.push(" ORDER BY id");
        fetch_all!(self, s, r => (r.try_get::<String, _>(0)?, r.try_get::<String, _>(1)?, r.try_get::<Option<String>, _>(2)?))
    }

    /// One message as a worker would see it, with its contact's fields, without claiming it: what a landing page
    /// renders.
    pub async fn message_for_render(&self, id: MessageId) -> Result<Option<Claimed>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("SELECT id, tenant_id, campaign_id, phone, variant, channel, sender, attempts, expires_at FROM messages WHERE id = ")
            .bind(Value::Int(Some(id.0)));
        let rows = fetch_all!(self, s, r => {
            let channel: Option<String> = r.try_get(5)?;
            let attempts: i64 = r.try_get(7)?;
            Claimed {
                id: MessageId(r.try_get(0)?),
                tenant: TenantId(r.try_get(1)?),
                campaign: r.try_get::<Option<i64>, _>(2)?.map(CampaignId),
                phone: r.try_get(3)?,
                variant: r.try_get(4)?,
                channel: channel
                    .map(|c| c.parse::<Channel>())
                    .transpose()
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                sender: r.try_get(6)?,
                attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
                expires_at: r.try_get(8)?,
                opted_out: false,
                contact: None,
            }
        })?;
        let Some(mut message) = rows.into_iter().next() else {
            return Ok(None);
        };
        if let Some((opted_out, contact)) = contact_fields(self, &[id.0]).await?.remove(&id.0) {
            message.opted_out = opted_out;
            message.contact = contact;
        }
        Ok(Some(message))
    }
}
