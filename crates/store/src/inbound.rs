//! Inbound messages for developers: each inbox row whose number (or its Messaging Service) has a webhook is that
//! webhook's outbox. `record_inbound` marks it due as it keeps the message; the API's notifier claims due rows
//! under a lease, posts, and marks them done or due again later.

use canvass_types::TenantId;
use sqlx::Row;

use crate::sql::{Statement, Value};
use crate::{Backend, Store, StoreError};

/// An inbound message whose webhook is due, claimed until `lease`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueInbound {
    /// Inbox row.
    pub id: i64,
    /// The account that owns the number.
    pub tenant: TenantId,
    /// `SM…`/`MM…`.
    pub sid: String,
    /// The handset.
    pub from: String,
    /// Our number.
    pub to: String,
    /// Text.
    pub body: Option<String>,
    /// Rehosted media: (content type, blob key).
    pub media: Vec<(String, String)>,
    /// Where to post it.
    pub url: String,
    /// Failed posts so far.
    pub attempts: i64,
    /// The claim's token.
    pub lease: i64,
}

fn int(value: i64) -> Value {
    Value::Int(Some(value))
}

#[derive(serde::Deserialize)]
struct MediaRef {
    content_type: String,
    blob: String,
}

fn media_of(json: &str) -> Result<Vec<(String, String)>, StoreError> {
    let refs: Vec<MediaRef> =
        serde_json::from_str(json).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(refs.into_iter().map(|m| (m.content_type, m.blob)).collect())
}

const COLUMNS: &str =
    "id, tenant_id, sid, phone, to_number, body, media, webhook_url, webhook_attempts";

impl Store {
    /// Claims up to `limit` inbound webhooks due at `now`, until `now + lease_ms`.
    pub async fn claim_inbound_webhooks(
        &self,
        now: i64,
        limit: i64,
        lease_ms: i64,
    ) -> Result<Vec<DueInbound>, StoreError> {
        let lease = now + lease_ms;
        let mut s = Statement::new(self.backend());
        s.push("UPDATE inbox SET webhook_due_ms = ")
            .bind(int(lease));
        s.push(
            " WHERE id IN (SELECT id FROM inbox WHERE webhook_due_ms IS NOT NULL AND webhook_due_ms <= ",
        )
        .bind(int(now));
        s.push(" ORDER BY webhook_due_ms LIMIT ").bind(int(limit));
        if self.backend() == Backend::Postgres {
            s.push(" FOR UPDATE SKIP LOCKED");
        }
        s.push(&format!(") RETURNING {COLUMNS}"));
        fetch_all!(self, s, r => {
            let media: String = r.try_get(6)?;
            DueInbound {
                id: r.try_get(0)?,
                tenant: TenantId(r.try_get(1)?),
                sid: r.try_get::<Option<String>, _>(2)?.unwrap_or_default(),
                from: r.try_get(3)?,
                to: r.try_get(4)?,
                body: r.try_get(5)?,
                media: media_of(&media)?,
                url: r.try_get::<Option<String>, _>(7)?.unwrap_or_default(),
                attempts: r.try_get(8)?,
                lease,
            }
        })
    }

    /// The webhook of inbox row `id` was posted (or given up on).
    pub async fn inbound_webhook_done(&self, id: i64) -> Result<(), StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("UPDATE inbox SET webhook_due_ms = NULL WHERE id = ")
            .bind(int(id));
        crate::execute!(self, s)?;
        Ok(())
    }

    /// The webhook of inbox row `id` failed: try again at `due_at`.
    pub async fn inbound_webhook_failed(&self, id: i64, due_at: i64) -> Result<(), StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("UPDATE inbox SET webhook_attempts = webhook_attempts + 1, webhook_due_ms = ")
            .bind(int(due_at));
        s.push(" WHERE id = ").bind(int(id));
        crate::execute!(self, s)?;
        Ok(())
    }

    /// The inbound message `sid` of `tenant`: its media as (content type, blob key), for the media URLs its
    /// webhook named.
    pub async fn inbound_media(
        &self,
        tenant: TenantId,
        sid: &str,
    ) -> Result<Option<Vec<(String, String)>>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("SELECT media FROM inbox WHERE sid = ")
            .bind(Value::Text(Some(sid.to_owned())));
        s.push(" AND tenant_id = ").bind(int(tenant.0));
        let media: Option<String> = fetch_optional!(self, s, r => r.try_get(0)?)?;
        media.map(|m| media_of(&m)).transpose()
    }
}
