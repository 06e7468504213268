//! Consent (the opt-out list, the contact flag and the ledger that proves both), the inbox, and link events.
//!
//! The ledger is append-only evidence, kept four years; `opt_outs` is the current state that every send checks.

use crate::sql::{Statement, Value};
use crate::{Backend, Store, StoreError};
use canvass_dispatch::ports::{ConsentChange, InboundRecord};
use canvass_types::{CampaignId, MessageId, TenantId};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use std::collections::BTreeSet;

/// One consent ledger entry, as exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerRow {
    /// Row id (ledger order among equal instants).
    pub id: i64,
    /// Tenant.
    pub tenant: TenantId,
    /// Number, E.164.
    pub phone: String,
    /// Opted in (`true`) or out (`false`).
    pub opt_in: bool,
    /// Where it came from.
    pub source: String,
    /// What proves it.
    pub evidence: Option<String>,
    /// When, milliseconds since the Unix epoch.
    pub at: i64,
}

/// One inbound message in the inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InboxRow {
    /// Row id.
    pub id: i64,
    /// The contact with this number, when it was one at arrival.
    pub contact_id: Option<i64>,
    /// Sender, E.164.
    pub phone: String,
    /// Our number it was sent to.
    pub to: String,
    /// Text.
    pub body: Option<String>,
    /// Media as (content type, blob key).
    pub media: Vec<(String, String)>,
    /// Compliance keyword, if it was one.
    pub keyword: Option<String>,
    /// The carrier's id.
    pub carrier_id: Option<String>,
    /// When it arrived.
    pub at: i64,
}

/// The inbox's media column: a JSON array of these.
#[derive(Serialize, Deserialize)]
struct MediaRef {
    content_type: String,
    blob: String,
}

fn int(i: i64) -> Value {
    Value::Int(Some(i))
}

fn text(s: &str) -> Value {
    Value::Text(Some(s.to_owned()))
}

fn kind(opt_in: bool) -> &'static str {
    if opt_in { "opt_in" } else { "opt_out" }
}

fn ledger_insert(backend: Backend, c: &ConsentChange) -> Statement {
    let mut s = Statement::new(backend);
    s.push("INSERT INTO consent_ledger (tenant_id, phone, kind, source, evidence, at) VALUES (");
    s.bind(int(c.tenant.0))
        .push(", ")
        .bind(text(&c.phone))
        .push(", ");
    s.bind(text(kind(c.opt_in)))
        .push(", ")
        .bind(text(&c.source))
        .push(", ");
    s.bind(Value::Text(c.evidence.clone()))
        .push(", ")
        .bind(int(c.at))
        .push(")");
    s
}

/// The statements that make `phone`'s state opted out (or in): the list row and the contact flag together.
fn apply_state(
    backend: Backend,
    tenant: TenantId,
    phone: &str,
    opted_out: bool,
    at: i64,
) -> [Statement; 2] {
    let mut list = Statement::new(backend);
    if opted_out {
        list.push("INSERT INTO opt_outs (tenant_id, phone, at) VALUES (")
            .bind(int(tenant.0));
        list.push(", ").bind(text(phone)).push(", ").bind(int(at));
        list.push(") ON CONFLICT (tenant_id, phone) DO NOTHING");
    } else {
        list.push("DELETE FROM opt_outs WHERE tenant_id = ")
            .bind(int(tenant.0));
        list.push(" AND phone = ").bind(text(phone));
    }
    let mut flag = Statement::new(backend);
    flag.push("UPDATE contacts SET opted_out = ")
        .bind(Value::Bool(opted_out));
    flag.push(" WHERE tenant_id = ").bind(int(tenant.0));
    flag.push(" AND phone = ").bind(text(phone));
    [list, flag]
}

/// Whether the number counts as opted out now: listed, or a contact flagged by an import.
fn opted_out_now(backend: Backend, tenant: TenantId, phone: &str) -> Statement {
    let mut s = Statement::new(backend);
    s.push("SELECT ");
    push_opted_out(&mut s, tenant, phone);
    s
}

/// The boolean expression of [`opted_out_now`], for a statement that asks more.
fn push_opted_out(s: &mut Statement, tenant: TenantId, phone: &str) {
    s.push("(EXISTS (SELECT 1 FROM opt_outs WHERE tenant_id = ")
        .bind(int(tenant.0));
    s.push(" AND phone = ").bind(text(phone));
    s.push(") OR EXISTS (SELECT 1 FROM contacts WHERE tenant_id = ")
        .bind(int(tenant.0));
    s.push(" AND phone = ")
        .bind(text(phone))
        .push(" AND opted_out))");
}

pub(crate) async fn record_consent(
    store: &Store,
    change: &ConsentChange,
) -> Result<bool, StoreError> {
    let backend = store.backend();
    let ledger = ledger_insert(backend, change);
    let before = opted_out_now(backend, change.tenant, &change.phone);
    let want_out = !change.opt_in;
    macro_rules! body {
        ($tx:ident, $d:ident) => {{
            // The ledger row goes first: it is the write that takes SQLite's lock, and it is kept even when the
            // state does not change (a second STOP is still evidence).
            ledger.$d().execute(&mut *$tx).await?;
            let was_out: bool = before.$d().fetch_one(&mut *$tx).await?.try_get(0)?;
            for s in apply_state(backend, change.tenant, &change.phone, want_out, change.at) {
                s.$d().execute(&mut *$tx).await?;
            }
            was_out != want_out
        }};
    }
    Ok(in_transaction!(store, body))
}

pub(crate) async fn record_inbound(store: &Store, r: &InboundRecord) -> Result<(), StoreError> {
    let media: Vec<MediaRef> = r
        .media
        .iter()
        .map(|(content_type, blob)| MediaRef {
            content_type: content_type.clone(),
            blob: blob.clone(),
        })
        .collect();
    let media = serde_json::to_string(&media).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let sid = canvass_accounts::message_sid(!r.media.is_empty())?;
    let mut s = Statement::new(store.backend());
    s.push(
        "INSERT INTO inbox (tenant_id, contact_id, phone, to_number, body, media, keyword, carrier_id, \
         received_at, sid, webhook_url, webhook_due_ms) VALUES (",
    );
    s.bind(int(r.tenant.0));
    s.push(", (SELECT id FROM contacts WHERE tenant_id = ")
        .bind(int(r.tenant.0));
    s.push(" AND phone = ").bind(text(&r.from)).push("), ");
    s.bind(text(&r.from))
        .push(", ")
        .bind(text(&r.to))
        .push(", ");
    s.bind(Value::Text(r.body.clone()))
        .push(", ")
        .bind(Value::Text(Some(media)));
    s.push(", ").bind(Value::Text(r.keyword.clone()));
    s.push(", ").bind(Value::Text(r.carrier_id.clone()));
    s.push(", ").bind(int(r.at)).push(", ").bind(text(&sid));
    // The developer's webhook: the number's service's, else the number's own (as Twilio's defaults).
    let webhook = |s: &mut Statement| {
        s.push(
            "COALESCE((SELECT v.inbound_request_url FROM messaging_services v JOIN messaging_service_numbers n \
             ON n.service_id = v.id WHERE n.phone = ",
        )
        .bind(text(&r.to));
        s.push(" AND v.tenant_id = ").bind(int(r.tenant.0));
        s.push(" AND v.inbound_request_url IS NOT NULL ORDER BY v.id LIMIT 1), (SELECT sms_url FROM numbers WHERE phone = ")
            .bind(text(&r.to));
        s.push(" AND tenant_id = ").bind(int(r.tenant.0)).push("))");
    };
    s.push(", ");
    webhook(&mut s);
    s.push(", CASE WHEN ");
    webhook(&mut s);
    s.push(" IS NULL THEN NULL ELSE 0 END)");
    crate::execute!(store, s)?;
    Ok(())
}

impl Store {
    /// Two facts a send needs, in one round trip: the tenant that owns `from`, and whether `to` is opted out of
    /// `tenant`'s messages.
    pub async fn send_facts(
        &self,
        tenant: TenantId,
        from: &str,
        to: &str,
    ) -> Result<(Option<TenantId>, bool), StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("SELECT (SELECT tenant_id FROM numbers WHERE phone = ")
            .bind(text(from));
        s.push("), ");
        push_opted_out(&mut s, tenant, to);
        let row: Option<(Option<i64>, bool)> =
            fetch_optional!(self, s, r => (r.try_get(0)?, r.try_get(1)?))?;
        Ok(row.map_or((None, false), |(owner, out)| (owner.map(TenantId), out)))
    }

    /// Whether `phone` is opted out of `tenant`'s messages now (listed, or a contact flagged by an import).
    pub async fn is_opted_out(&self, tenant: TenantId, phone: &str) -> Result<bool, StoreError> {
        let s = opted_out_now(self.backend(), tenant, phone);
        let out: Option<bool> = fetch_optional!(self, s, r => r.try_get(0)?)?;
        Ok(out.unwrap_or(false))
    }

    /// The tenant's consent ledger (one number's, when given), oldest first: the export for audits.
    pub async fn consent_ledger(
        &self,
        tenant: TenantId,
        phone: Option<&str>,
    ) -> Result<Vec<LedgerRow>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("SELECT id, tenant_id, phone, kind, source, evidence, at FROM consent_ledger WHERE tenant_id = ");
        s.bind(int(tenant.0));
        if let Some(phone) = phone {
            s.push(" AND phone = ").bind(text(phone));
        }
        s.push(" ORDER BY at, id");
        fetch_all!(self, s, r => LedgerRow {
            id: r.try_get(0)?,
            tenant: TenantId(r.try_get(1)?),
            phone: r.try_get(2)?,
            opt_in: r.try_get::<String, _>(3)? == "opt_in",
            source: r.try_get(4)?,
            evidence: r.try_get(5)?,
            at: r.try_get(6)?,
        })
    }

    /// Imports consent history (from another system, or an earlier export): appends the rows the ledger does not
    /// already hold (same tenant, number, kind, source and instant), then sets each number to its latest state
    /// in the ledger. Returns how many rows were appended; importing the same file twice appends nothing.
    pub async fn import_consent(&self, rows: &[ConsentChange]) -> Result<u64, StoreError> {
        let backend = self.backend();
        let phones: BTreeSet<(i64, &str)> = rows
            .iter()
            .map(|r| (r.tenant.0, r.phone.as_str()))
            .collect();
        macro_rules! body {
            ($tx:ident, $d:ident) => {{
                let mut appended = 0;
                for c in rows {
                    let mut s = Statement::new(backend);
                    s.push("INSERT INTO consent_ledger (tenant_id, phone, kind, source, evidence, at) SELECT ");
                    s.bind(int(c.tenant.0)).push(", ").bind(text(&c.phone)).push(", ");
                    s.bind(text(kind(c.opt_in))).push(", ").bind(text(&c.source)).push(", ");
                    s.bind(Value::Text(c.evidence.clone())).push(", ").bind(int(c.at));
                    s.push(" WHERE NOT EXISTS (SELECT 1 FROM consent_ledger WHERE tenant_id = ").bind(int(c.tenant.0));
                    s.push(" AND phone = ").bind(text(&c.phone));
                    s.push(" AND at = ").bind(int(c.at));
                    s.push(" AND kind = ").bind(text(kind(c.opt_in)));
                    s.push(" AND source = ").bind(text(&c.source)).push(")");
                    appended += s.$d().execute(&mut *$tx).await?.rows_affected();
                }
                for (tenant, phone) in &phones {
                    let mut latest = Statement::new(backend);
                    latest.push("SELECT kind, at FROM consent_ledger WHERE tenant_id = ").bind(int(*tenant));
                    latest.push(" AND phone = ").bind(text(phone)).push(" ORDER BY at DESC, id DESC LIMIT 1");
                    if let Some(r) = latest.$d().fetch_optional(&mut *$tx).await? {
                        let out = r.try_get::<String, _>(0)? == "opt_out";
                        let at: i64 = r.try_get(1)?;
                        for s in apply_state(backend, TenantId(*tenant), phone, out, at) {
                            s.$d().execute(&mut *$tx).await?;
                        }
                    }
                }
                appended
            }};
        }
        Ok(in_transaction!(self, body))
    }

    /// Deletes ledger rows older than `at` (the four-year retention); the current opt-out list is kept.
    pub async fn purge_consent_before(&self, at: i64) -> Result<u64, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("DELETE FROM consent_ledger WHERE at < ")
            .bind(int(at));
        Ok(crate::execute!(self, s)?)
    }

    /// A number's inbound messages, oldest first.
    pub async fn inbox(&self, tenant: TenantId, phone: &str) -> Result<Vec<InboxRow>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push(
            "SELECT id, contact_id, phone, to_number, body, media, keyword, carrier_id, received_at FROM inbox \
             WHERE tenant_id = ",
        );
        s.bind(int(tenant.0))
            .push(" AND phone = ")
            .bind(text(phone))
            .push(" ORDER BY id");
        fetch_all!(self, s, r => {
            let media: String = r.try_get(5)?;
            let media: Vec<MediaRef> =
                serde_json::from_str(&media).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            InboxRow {
                id: r.try_get(0)?,
                contact_id: r.try_get(1)?,
                phone: r.try_get(2)?,
                to: r.try_get(3)?,
                body: r.try_get(4)?,
                media: media.into_iter().map(|m| (m.content_type, m.blob)).collect(),
                keyword: r.try_get(6)?,
                carrier_id: r.try_get(7)?,
                at: r.try_get(8)?,
            }
        })
    }

    /// Records a click on a tracked link (`click`) or a landing-page view (`view`).
    pub async fn record_link_event(
        &self,
        message: MessageId,
        kind: &str,
        user_agent: Option<&str>,
        at: i64,
    ) -> Result<(), StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("INSERT INTO link_events (message_id, kind, at, user_agent) VALUES (")
            .bind(int(message.0));
        s.push(", ").bind(text(kind)).push(", ").bind(int(at));
        s.push(", ")
            .bind(Value::Text(user_agent.map(str::to_owned)))
            .push(")");
        crate::execute!(self, s)?;
        Ok(())
    }

    /// What a tracked link resolves to: the message's campaign (if any), variant and tenant.
    pub async fn link_target(
        &self,
        message: MessageId,
    ) -> Result<Option<(Option<CampaignId>, String, TenantId)>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("SELECT campaign_id, variant, tenant_id FROM messages WHERE id = ")
            .bind(int(message.0));
        fetch_optional!(self, s, r => (
            r.try_get::<Option<i64>, _>(0)?.map(CampaignId),
            r.try_get(1)?,
            TenantId(r.try_get(2)?),
        ))
    }

    /// Link events of a campaign counted by (variant, kind).
    pub async fn link_counts(
        &self,
        campaign: CampaignId,
    ) -> Result<Vec<(String, String, i64)>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push(
            "SELECT m.variant, e.kind, count(*) FROM link_events e JOIN messages m ON m.id = e.message_id \
             WHERE m.campaign_id = ",
        );
        s.bind(int(campaign.0))
            .push(" GROUP BY m.variant, e.kind ORDER BY m.variant, e.kind");
        fetch_all!(self, s, r => (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))
    }
}
