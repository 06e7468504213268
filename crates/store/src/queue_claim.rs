//! Claiming due messages under a lease, and reading what the worker needs to send them.
//!
//! A claim walks the `messages_due (status, due_at)` index from its low end and stops after `limit` rows: lapsed
//! leases first (rare, and a worker that died must not wait behind a whole campaign's backlog), then queued
//! messages. Each status is its own range scan; an `OR` of the two would make the database sort every due row.
//! The contact fields for the whole batch come in one more statement.

use crate::campaigns::bool_literal;
use crate::sql::{Statement, Value};
use crate::{Backend, Store, StoreError};
use canvass_dispatch::ports::{Claimed, ContactFields};
use canvass_types::{CampaignId, Channel, MessageId, TenantId};
use sqlx::Row;
use std::collections::HashMap;

/// Separates list items in aggregated text (ASCII record separator); never part of a tag or region name.
const ITEM: char = '\u{1e}';
/// Separates a region's layer kind from its name (ASCII unit separator).
const PAIR: char = '\u{1f}';

pub(crate) const RETURNING: &str =
    "id, tenant_id, campaign_id, phone, variant, channel, sender, attempts, expires_at";

fn int(i: i64) -> Value {
    Value::Int(Some(i))
}

/// `(due_at before the claim, message without its contact fields)`.
type Picked = (i64, Claimed);

macro_rules! picked {
    ($r:expr, $due:expr) => {{
        let channel: Option<String> = $r.try_get(5)?;
        let attempts: i64 = $r.try_get(7)?;
        (
            $due,
            Claimed {
                id: MessageId($r.try_get(0)?),
                tenant: TenantId($r.try_get(1)?),
                campaign: $r.try_get::<Option<i64>, _>(2)?.map(CampaignId),
                phone: $r.try_get(3)?,
                variant: $r.try_get(4)?,
                channel: channel
                    .map(|c| c.parse::<Channel>())
                    .transpose()
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                sender: $r.try_get(6)?,
                attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
                expires_at: $r.try_get(8)?,
                opted_out: false,
                contact: None,
            },
        )
    }};
}

/// The `SET` list of a claim: `sending`, leased until `now + lease_ms`, one more attempt.
fn push_lease(s: &mut Statement, owner: &str, lease_until: i64) {
    s.push("status = 'sending', due_at = ")
        .bind(int(lease_until));
    s.push(", attempts = attempts + 1, lease_owner = ")
        .bind(Value::Text(Some(owner.to_owned())));
}

/// Postgres: one statement per status. `SKIP LOCKED` lets concurrent claimers take disjoint batches; the CTE
/// hands back each row's due time before the lease replaced it, to order the batch.
async fn claim_postgres(
    pool: &sqlx::PgPool,
    owner: &str,
    limit: i64,
    now: i64,
    lease_until: i64,
) -> Result<Vec<Picked>, StoreError> {
    let mut out = Vec::new();
    for status in ["sending", "queued"] {
        let remaining = limit - out.len() as i64;
        if remaining <= 0 {
            break;
        }
        let mut s = Statement::new(Backend::Postgres);
        s.push("WITH picked AS (SELECT id, due_at FROM messages WHERE status = ");
        s.bind(Value::Text(Some(status.to_owned())));
        s.push(" AND due_at <= ").bind(int(now));
        s.push(" ORDER BY due_at LIMIT ").bind(int(remaining));
        s.push(" FOR UPDATE SKIP LOCKED) UPDATE messages SET ");
        push_lease(&mut s, owner, lease_until);
        s.push(" FROM picked WHERE messages.id = picked.id RETURNING ");
        s.push(
            &RETURNING
                .split(", ")
                .map(|c| format!("messages.{c}"))
                .collect::<Vec<_>>()
                .join(", "),
        );
        s.push(", picked.due_at");
        for r in s.postgres().fetch_all(pool).await? {
            let due: i64 = r.try_get(9)?;
            out.push(picked!(r, due));
        }
    }
    Ok(out)
}

/// SQLite: one writer at a time (the transaction is `IMMEDIATE`), so select-then-update cannot race, and the
/// select's order is the due order.
async fn claim_sqlite(
    pool: &sqlx::SqlitePool,
    owner: &str,
    limit: i64,
    now: i64,
    lease_until: i64,
) -> Result<Vec<Picked>, StoreError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let mut out = Vec::new();
    for status in ["sending", "queued"] {
        let remaining = limit - out.len() as i64;
        if remaining <= 0 {
            break;
        }
        let mut pick = Statement::new(Backend::Sqlite);
        pick.push("SELECT id, due_at FROM messages WHERE status = ");
        pick.bind(Value::Text(Some(status.to_owned())));
        pick.push(" AND due_at <= ").bind(int(now));
        pick.push(" ORDER BY due_at LIMIT ").bind(int(remaining));
        let mut due: HashMap<i64, i64> = HashMap::new();
        for r in pick.sqlite().fetch_all(&mut *tx).await? {
            due.insert(r.try_get(0)?, r.try_get(1)?);
        }
        if due.is_empty() {
            continue;
        }
        let mut s = Statement::new(Backend::Sqlite);
        s.push("UPDATE messages SET ");
        push_lease(&mut s, owner, lease_until);
        s.push(" WHERE id IN (");
        push_ids(&mut s, due.keys().copied());
        s.push(") RETURNING ").push(RETURNING);
        for r in s.sqlite().fetch_all(&mut *tx).await? {
            let id: i64 = r.try_get(0)?;
            let at = due.get(&id).copied().unwrap_or(now);
            out.push(picked!(r, at));
        }
    }
    tx.commit().await?;
    Ok(out)
}

fn push_ids(s: &mut Statement, ids: impl IntoIterator<Item = i64>) {
    for (i, id) in ids.into_iter().enumerate() {
        if i > 0 {
            s.push(", ");
        }
        s.bind(int(id));
    }
}

/// Opt-out state and contact fields for claimed messages, keyed by message id.
pub(crate) async fn contact_fields(
    store: &Store,
    ids: &[i64],
) -> Result<HashMap<i64, (bool, Option<ContactFields>)>, StoreError> {
    let backend = store.backend();
    let (agg, sep, attrs) = match backend {
        Backend::Sqlite => ("group_concat", "char", "c.attrs"),
        Backend::Postgres => ("string_agg", "chr", "c.attrs::text"),
    };
    let mut s = Statement::new(backend);
    s.push(&format!(
        "SELECT m.id, (COALESCE(c.opted_out, {no}) OR EXISTS (SELECT 1 FROM opt_outs o \
         WHERE o.tenant_id = m.tenant_id AND o.phone = m.phone)), c.id, c.given_name, c.family_name, c.zip, \
         c.state, c.county_name, c.time_zone, \
         (SELECT {agg}(i.name, {sep}(30)) FROM contact_issues ci JOIN issues i ON i.id = ci.issue_id \
          WHERE ci.contact_id = c.id), \
         (SELECT {agg}(l.kind || {sep}(31) || r.name, {sep}(30)) FROM contact_regions cr \
          JOIN regions r ON r.id = cr.region_id JOIN region_layers l ON l.id = cr.layer_id \
          WHERE cr.contact_id = c.id), \
         {attrs} FROM messages m LEFT JOIN contacts c ON c.id = m.contact_id WHERE m.id IN (",
        no = bool_literal(backend, false),
    ));
    push_ids(&mut s, ids.iter().copied());
    s.push(")");
    let rows = fetch_all!(store, s, r => {
        let contact_id: Option<i64> = r.try_get(2)?;
        let contact = match contact_id {
            None => None,
            Some(_) => {
                let issues: Option<String> = r.try_get(9)?;
                let regions: Option<String> = r.try_get(10)?;
                let attrs: Option<String> = r.try_get(11)?;
                let mut issues = split(issues);
                issues.sort_unstable();
                let mut regions: Vec<(String, String)> = split(regions)
                    .iter()
                    .filter_map(|p| p.split_once(PAIR))
                    .map(|(k, n)| (k.to_owned(), n.to_owned()))
                    .collect();
                regions.sort_unstable();
                Some(ContactFields {
                    given_name: r.try_get(3)?,
                    family_name: r.try_get(4)?,
                    zip: r.try_get(5)?,
                    state: r.try_get(6)?,
                    county: r.try_get(7)?,
                    time_zone: r.try_get(8)?,
                    issues,
                    regions,
                    attrs: serde_json::from_str(attrs.as_deref().unwrap_or("{}"))
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                })
            }
        };
        (r.try_get::<i64, _>(0)?, (r.try_get::<bool, _>(1)?, contact))
    })?;
    Ok(rows.into_iter().collect())
}

fn split(list: Option<String>) -> Vec<String> {
    list.map(|s| {
        s.split(ITEM)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect()
    })
    .unwrap_or_default()
}

pub(crate) async fn claim(
    store: &Store,
    owner: &str,
    limit: usize,
    now: i64,
    lease_ms: i64,
) -> Result<Vec<Claimed>, StoreError> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let lease_until = now.saturating_add(lease_ms);
    let mut picked = match store {
        Store::Sqlite(pool) => claim_sqlite(pool, owner, limit, now, lease_until).await?,
        Store::Postgres(pool) => claim_postgres(pool, owner, limit, now, lease_until).await?,
    };
    if picked.is_empty() {
        return Ok(Vec::new());
    }
    picked.sort_unstable_by_key(|(due, c)| (*due, c.id.0));
    let ids: Vec<i64> = picked.iter().map(|(_, c)| c.id.0).collect();
    let mut fields = contact_fields(store, &ids).await?;
    Ok(picked
        .into_iter()
        .map(|(_, mut c)| {
            if let Some((opted_out, contact)) = fields.remove(&c.id.0) {
                c.opted_out = opted_out;
                c.contact = contact;
            }
            c
        })
        .collect())
}
