//! Expanding a launched campaign into the message queue, one keyset chunk of contact ids per transaction.
//!
//! Each chunk is a single `INSERT … SELECT` over a contact-id range: the segment, the variant rules (a `CASE`), the
//! opt-out list and the frequency cap are all evaluated inside the database, so no contact row travels to the
//! application. The cursor moves in the same transaction, which makes a chunk land whole or not at all.

use crate::sql::{Statement, Value};
use crate::{Backend, Store, StoreError};
use canvass_audience::segment::{Checked, Dialect, to_sql};
use canvass_campaigns::ports::{CampaignState, ExpandedChunk, ExpansionPlan, FrequencyCap};
use sqlx::Row;

fn int(i: i64) -> Value {
    Value::Int(Some(i))
}

fn dialect(backend: Backend) -> Dialect {
    match backend {
        Backend::Sqlite => Dialect::Sqlite,
        Backend::Postgres => Dialect::Postgres,
    }
}

/// Appends a compiled segment condition, numbering its placeholders after the ones already bound.
fn push_condition(s: &mut Statement, checked: &Checked, plan: &ExpansionPlan, backend: Backend) {
    let filter = to_sql(checked, dialect(backend), plan.tenant.0, s.next_param());
    s.push("(");
    s.push_fragment(&filter.sql, filter.params.iter().map(Value::from));
    s.push(")");
}

/// At most this many capped contacts are bound into a chunk's insert; beyond it the cap is counted per row.
const MAX_BOUND_CAPPED: usize = 20_000;

/// The chunk's contacts that reached the frequency cap: one range scan of `messages_contact (contact_id,
/// created_at)`. Measured on SQLite, this keeps a capped expansion at the uncapped speed, where a count per
/// contact inside the insert halved it (a subquery on the insert's own table also makes SQLite buffer the rows).
fn capped_statement(backend: Backend, cap: FrequencyCap, lo: i64, hi: i64, now: i64) -> Statement {
    let mut s = Statement::new(backend);
    s.push("SELECT contact_id FROM messages WHERE contact_id > ")
        .bind(int(lo));
    s.push(" AND contact_id <= ").bind(int(hi));
    s.push(" AND created_at > ")
        .bind(int(now.saturating_sub(cap.within_ms)));
    s.push(" AND status <> 'suppressed' GROUP BY contact_id HAVING count(*) >= ");
    s.bind(int(i64::from(cap.max)));
    s
}

/// The chunk's `INSERT … SELECT` for contact ids in `(lo, hi]`. `due` is `None` while the campaign is paused;
/// `capped` lists the contacts at their frequency cap, or is `None` to count in the statement.
fn insert_statement(
    plan: &ExpansionPlan,
    backend: Backend,
    lo: i64,
    hi: i64,
    due: Option<i64>,
    capped: Option<&[i64]>,
) -> Statement {
    let mut s = Statement::new(backend);
    if backend == Backend::Postgres {
        // Postgres counts the outcome in the same statement; SQLite counts the new rowid range afterwards.
        s.push("WITH ins AS (");
    }
    s.push(
        "INSERT INTO messages (tenant_id, campaign_id, contact_id, phone, variant, status, due_at, error_code, \
         expires_at, created_at) SELECT ",
    );
    s.bind(int(plan.tenant.0))
        .push(", ")
        .bind(int(plan.campaign.0));
    s.push(
        ", x.id, x.phone, x.variant, CASE WHEN x.why IS NULL THEN 'queued' ELSE 'suppressed' END, ",
    );
    s.push("CASE WHEN x.why IS NULL THEN ")
        .bind(Value::Int(due))
        .push(" END, x.why, ");
    s.bind(Value::Int(plan.expires_at))
        .push(", ")
        .bind(int(plan.now));
    s.push(" FROM (SELECT c.id, c.phone, ");
    if plan.rules.is_empty() {
        s.bind(Value::Text(Some(plan.default_variant.clone())));
    } else {
        // The first rule that holds picks the variant, exactly as `CASE` evaluates its arms.
        s.push("CASE");
        for rule in &plan.rules {
            s.push(" WHEN ");
            push_condition(&mut s, &rule.when, plan, backend);
            s.push(" THEN ")
                .bind(Value::Text(Some(rule.variant.clone())));
        }
        s.push(" ELSE ")
            .bind(Value::Text(Some(plan.default_variant.clone())));
        s.push(" END");
    }
    s.push(" AS variant, CASE WHEN c.opted_out OR EXISTS (SELECT 1 FROM opt_outs o WHERE o.tenant_id = ");
    s.bind(int(plan.tenant.0))
        .push(" AND o.phone = c.phone) THEN 'opted_out'");
    match (plan.frequency_cap, capped) {
        (None, _) => {}
        (Some(_), Some([])) => {}
        (Some(_), Some(ids)) => {
            s.push(" WHEN c.id IN (");
            for (i, id) in ids.iter().enumerate() {
                if i > 0 {
                    s.push(", ");
                }
                s.bind(int(*id));
            }
            s.push(") THEN 'frequency_cap'");
        }
        (Some(cap), None) => {
            // Too many capped contacts to bind: count per row instead. Either way suppressed rows were never
            // sent, so they do not count against the cap.
            s.push(
                " WHEN (SELECT count(*) FROM messages m WHERE m.contact_id = c.id AND m.status <> 'suppressed' \
                 AND m.created_at > ",
            );
            s.bind(int(plan.now.saturating_sub(cap.within_ms)));
            s.push(") >= ").bind(int(i64::from(cap.max)));
            s.push(" THEN 'frequency_cap'");
        }
    }
    s.push(" END AS why FROM contacts c WHERE c.tenant_id = ")
        .bind(int(plan.tenant.0));
    s.push(" AND c.id > ").bind(int(lo));
    s.push(" AND c.id <= ").bind(int(hi));
    if let Some(segment) = &plan.segment {
        s.push(" AND ");
        push_condition(&mut s, segment, plan, backend);
    }
    // `OFFSET 0` keeps the subquery a subquery on both backends: flattened, `x.why` would be written out three
    // times in the outer select list and the opt-out and cap lookups would run three times per row.
    s.push(match backend {
        Backend::Sqlite => " LIMIT -1 OFFSET 0) x",
        Backend::Postgres => " OFFSET 0) x RETURNING status) \
             SELECT count(*) FILTER (WHERE status = 'queued'), count(*) FILTER (WHERE status <> 'queued') FROM ins",
    });
    s
}

pub(crate) async fn expand_chunk(
    store: &Store,
    plan: &ExpansionPlan,
    chunk: usize,
) -> Result<ExpandedChunk, StoreError> {
    let backend = store.backend();
    let chunk = i64::try_from(chunk.max(1)).unwrap_or(i64::MAX);
    // Touching the campaign first takes the row lock (Postgres) and reads the cursor under it, so two workers
    // expanding the same campaign serialise instead of inserting a chunk twice.
    let mut lock = Statement::new(backend);
    lock.push("UPDATE campaigns SET updated_at = ")
        .bind(int(plan.now));
    lock.push(" WHERE id = ").bind(int(plan.campaign.0));
    lock.push(" RETURNING state, frozen_through, expanded_through");

    macro_rules! body {
        ($tx:ident, $d:ident) => {{
            let row = lock.$d().fetch_optional(&mut *$tx).await?.ok_or_else(|| {
                StoreError::NotFound(format!("campaign {}", plan.campaign.0))
            })?;
            let state: String = row.try_get(0)?;
            let frozen: Option<i64> = row.try_get(1)?;
            let cursor: i64 = row.try_get(2)?;
            let state: CampaignState = state.parse().map_err(StoreError::Corrupt)?;
            let Some(frozen) = frozen else {
                return Err(StoreError::Corrupt(format!(
                    "campaign {} was never launched: no expansion bound",
                    plan.campaign.0
                )));
            };
            let finished = matches!(state, CampaignState::Cancelled | CampaignState::Completed);
            if cursor >= frozen || finished {
                ExpandedChunk { queued: 0, suppressed: 0, through: cursor, done: true }
            } else {
                let mut bound = Statement::new(backend);
                bound.push("SELECT id FROM contacts WHERE tenant_id = ").bind(int(plan.tenant.0));
                bound.push(" AND id > ").bind(int(cursor));
                bound.push(" AND id <= ").bind(int(frozen));
                bound.push(" ORDER BY id LIMIT 1 OFFSET ").bind(int(chunk - 1));
                let hi: i64 = match bound.$d().fetch_optional(&mut *$tx).await? {
                    Some(r) => r.try_get(0)?,
                    None => frozen,
                };
                // Held campaigns keep expanding, but their rows wait undue until resumed.
                let due = (state != CampaignState::Paused).then_some(plan.due_at);
                let mut capped: Option<Vec<i64>> = None;
                if let Some(cap) = plan.frequency_cap {
                    let find = capped_statement(backend, cap, cursor, hi, plan.now);
                    let ids = find
                        .$d()
                        .fetch_all(&mut *$tx)
                        .await?
                        .iter()
                        .map(|r| r.try_get::<i64, _>(0))
                        .collect::<Result<Vec<_>, _>>()?;
                    capped = (ids.len() <= MAX_BOUND_CAPPED).then_some(ids);
                }
                let insert = insert_statement(plan, backend, cursor, hi, due, capped.as_deref());
                let (queued, suppressed) = if backend == Backend::Postgres {
                    let r = insert.$d().fetch_one(&mut *$tx).await?;
                    (r.try_get::<i64, _>(0)?, r.try_get::<i64, _>(1)?)
                } else {
                    // One writer at a time on SQLite, so every rowid above the old maximum is this chunk's.
                    let mut top = Statement::new(backend);
                    top.push("SELECT COALESCE(MAX(id), 0) FROM messages");
                    let before: i64 = top.$d().fetch_one(&mut *$tx).await?.try_get(0)?;
                    let total = insert.$d().execute(&mut *$tx).await?.rows_affected() as i64;
                    let mut count = Statement::new(backend);
                    count.push("SELECT count(*) FROM messages WHERE id > ").bind(int(before));
                    count.push(" AND status = 'suppressed'");
                    let suppressed: i64 = count.$d().fetch_one(&mut *$tx).await?.try_get(0)?;
                    (total - suppressed, suppressed)
                };
                let mut advance = Statement::new(backend);
                advance.push("UPDATE campaigns SET expanded_through = ").bind(int(hi));
                advance.push(" WHERE id = ").bind(int(plan.campaign.0));
                advance.$d().execute(&mut *$tx).await?;
                ExpandedChunk {
                    queued: queued as u64,
                    suppressed: suppressed as u64,
                    through: hi,
                    done: hi >= frozen,
                }
            }
        }};
    }
    Ok(in_transaction!(store, body))
}
