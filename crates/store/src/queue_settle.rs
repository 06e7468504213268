//! Writing outcomes back: settlements, carrier receipts and receipt deadlines.
//!
//! Each batch is one transaction. The common outcomes (`Sent`, receipts) go as one `UPDATE … FROM (VALUES …)` per
//! thousand rows; the rest as single-row statements whose text never varies, so every connection prepares each
//! once and reuses it (sqlx caches prepared statements by text).

use crate::sql::{Statement, Value};
use crate::{Backend, Store, StoreError};
use canvass_dispatch::ports::{ReceiptTally, ReceiptUpdate, Settlement};
use sqlx::Row;
use std::collections::{HashMap, HashSet};

fn int(i: i64) -> Value {
    Value::Int(Some(i))
}

fn text(s: Option<&str>) -> Value {
    Value::Text(s.map(str::to_owned))
}

/// One settlement's statement (`settle` batches `Sent` through [`sent_statement`] instead; the single-row form is
/// kept so every outcome has one). Every update is guarded by `status = 'sending'`: a message whose lease lapsed and
/// went to another worker, or that a receipt already finished, is left alone.
fn settlement(backend: Backend, item: &Settlement, now: i64) -> Statement {
    let mut s = Statement::new(backend);
    match item {
        Settlement::Sent {
            id,
            channel,
            route,
            sender,
            carrier_id,
            segments,
            receipt_deadline,
        } => {
            s.push("UPDATE messages SET status = 'sent', channel = ")
                .bind(text(Some(channel.as_str())));
            s.push(", route = ").bind(text(Some(route)));
            s.push(", sender = ").bind(text(Some(sender)));
            s.push(", carrier_id = ").bind(text(carrier_id.as_deref()));
            s.push(", segments = ").bind(int(i64::from(*segments)));
            s.push(", sent_at = ").bind(int(now));
            s.push(", due_at = ").bind(int(*receipt_deadline));
            s.push(" WHERE id = ").bind(int(id.0));
        }
        Settlement::Retry {
            id,
            due_at,
            channel,
            error_code,
            detail,
            counts,
        } => {
            // A campaign paused or cancelled while the message was out must not get it back: paused rows wait
            // undue (resume makes them due), cancelled ones end suppressed like the rest of the campaign.
            let state = "(SELECT k.state FROM campaigns k WHERE k.id = messages.campaign_id)";
            s.push(&format!(
                "UPDATE messages SET status = CASE WHEN {state} = 'cancelled' THEN 'suppressed' ELSE 'queued' END, \
                 due_at = CASE WHEN {state} IN ('paused', 'cancelled') THEN NULL ELSE "
            ));
            s.bind(int(*due_at)).push(" END, done_at = CASE WHEN ");
            s.push(state)
                .push(" = 'cancelled' THEN ")
                .bind(int(now))
                .push(" END");
            s.push(", error_code = CASE WHEN ")
                .push(state)
                .push(" = 'cancelled' THEN 'cancelled' ELSE ");
            s.bind(text(error_code.as_deref())).push(" END");
            s.push(", channel = COALESCE(")
                .bind(text(channel.map(|c| c.as_str())));
            s.push(", channel), error_detail = ")
                .bind(text(detail.as_deref()));
            // Quiet hours and pacing give the attempt back.
            s.push(", attempts = attempts - ")
                .bind(int(i64::from(!*counts)));
            s.push(" WHERE id = ").bind(int(id.0));
        }
        Settlement::Done {
            id,
            status,
            error_code,
            detail,
        } => {
            s.push("UPDATE messages SET status = ")
                .bind(text(Some(status.as_str())));
            s.push(", error_code = ").bind(text(error_code.as_deref()));
            s.push(", error_detail = ").bind(text(detail.as_deref()));
            s.push(", due_at = NULL, done_at = ").bind(int(now));
            s.push(" WHERE id = ").bind(int(id.0));
        }
    }
    s.push(" AND status = 'sending'");
    s
}

/// Rows per batched statement: 7 values each stays far below SQLite's 32,766 bound values.
const ROWS_PER_STATEMENT: usize = 1_000;

/// `Sent` settlements, the hot path, as one `UPDATE … FROM (VALUES …)` per chunk: one statement per batch
/// instead of one round trip per message.
fn sent_statement(backend: Backend, chunk: &[&Settlement], now: i64) -> Statement {
    let mut s = Statement::new(backend);
    s.push("WITH v (id, channel, route, sender, carrier_id, segments, due_at) AS (VALUES ");
    for (i, item) in chunk.iter().enumerate() {
        let Settlement::Sent {
            id,
            channel,
            route,
            sender,
            carrier_id,
            segments,
            receipt_deadline,
        } = item
        else {
            continue;
        };
        s.push(if i == 0 { "(" } else { ", (" });
        s.bind(int(id.0))
            .push(", ")
            .bind(text(Some(channel.as_str())));
        s.push(", ")
            .bind(text(Some(route)))
            .push(", ")
            .bind(text(Some(sender)));
        s.push(", ").bind(text(carrier_id.as_deref()));
        s.push(", ").bind(int(i64::from(*segments)));
        s.push(", ").bind(int(*receipt_deadline)).push(")");
    }
    s.push(
        ") UPDATE messages SET status = 'sent', channel = v.channel, route = v.route, sender = v.sender, \
         carrier_id = v.carrier_id, segments = v.segments, due_at = v.due_at, sent_at = ",
    );
    s.bind(int(now));
    s.push(" FROM v WHERE messages.id = v.id AND messages.status = 'sending'");
    s
}

pub(crate) async fn settle(
    store: &Store,
    batch: &[Settlement],
    now: i64,
) -> Result<(), StoreError> {
    if batch.is_empty() {
        return Ok(());
    }
    let backend = store.backend();
    let (sent, others): (Vec<&Settlement>, Vec<&Settlement>) = batch
        .iter()
        .partition(|s| matches!(s, Settlement::Sent { .. }));
    let sent: Vec<Statement> = sent
        .chunks(ROWS_PER_STATEMENT)
        .map(|chunk| sent_statement(backend, chunk, now))
        .collect();
    macro_rules! body {
        ($tx:ident, $d:ident) => {{
            for stmt in &sent {
                stmt.$d().execute(&mut *$tx).await?;
            }
            // Retries and failures are the minority; one statement each, the same text every time.
            for item in &others {
                settlement(backend, item, now)
                    .$d()
                    .execute(&mut *$tx)
                    .await?;
            }
        }};
    }
    in_transaction!(store, body);
    Ok(())
}

/// Whether a receipt may still change a message in this status: one waiting for it, or one that expired only for
/// want of it (a late receipt corrects that).
fn takes_receipt(status: &str, error_code: Option<&str>) -> bool {
    status == "sent" || (status == "expired" && error_code == Some("no_receipt"))
}

/// The messages behind a chunk of carrier ids: `(id, carrier_id, status, error_code)`. Looked up first, by the
/// `messages_carrier` index, so the update below joins on the primary key; joined on carrier ids directly,
/// SQLite's planner may walk the whole carrier index once per batch.
fn lookup_statement(backend: Backend, chunk: &[&str]) -> Statement {
    let mut s = Statement::new(backend);
    s.push("SELECT id, carrier_id, status, error_code FROM messages WHERE carrier_id IN (");
    for (i, c) in chunk.iter().enumerate() {
        if i > 0 {
            s.push(", ");
        }
        s.bind(text(Some(c)));
    }
    s.push(")");
    s
}

/// Applies receipts to messages by id, re-checking the status (another writer may have got there first on
/// Postgres); returns the carrier ids it applied.
fn receipt_statement(backend: Backend, chunk: &[(i64, &ReceiptUpdate)]) -> Statement {
    let mut s = Statement::new(backend);
    s.push("WITH v (id, status, error_code, at) AS (VALUES ");
    for (i, (id, r)) in chunk.iter().enumerate() {
        s.push(if i == 0 { "(" } else { ", (" });
        s.bind(int(*id)).push(", ");
        s.bind(text(Some(r.status.as_str()))).push(", ");
        s.bind(text(r.error_code.as_deref()))
            .push(", ")
            .bind(int(r.at))
            .push(")");
    }
    s.push(
        ") UPDATE messages SET status = v.status, error_code = v.error_code, done_at = v.at, due_at = NULL \
         FROM v WHERE messages.id = v.id AND (messages.status = 'sent' \
         OR (messages.status = 'expired' AND messages.error_code = 'no_receipt')) RETURNING messages.carrier_id",
    );
    s
}

pub(crate) async fn apply_receipts(
    store: &Store,
    batch: &[ReceiptUpdate],
) -> Result<ReceiptTally, StoreError> {
    let backend = store.backend();
    let mut tally = ReceiptTally::default();
    if batch.is_empty() {
        return Ok(tally);
    }
    // The first receipt for a carrier id is the one that counts; a repeat in the same batch is a duplicate.
    let mut first: HashMap<&str, &ReceiptUpdate> = HashMap::new();
    for r in batch {
        first.entry(r.carrier_id.as_str()).or_insert(r);
    }
    let carrier_ids: Vec<&str> = first.keys().copied().collect();
    macro_rules! body {
        ($tx:ident, $d:ident) => {{
            let mut known: HashSet<String> = HashSet::new();
            let mut due: Vec<(i64, &ReceiptUpdate)> = Vec::new();
            for chunk in carrier_ids.chunks(ROWS_PER_STATEMENT) {
                for row in lookup_statement(backend, chunk)
                    .$d()
                    .fetch_all(&mut *$tx)
                    .await?
                {
                    let carrier: String = row.try_get(1)?;
                    let status: String = row.try_get(2)?;
                    let code: Option<String> = row.try_get(3)?;
                    if takes_receipt(&status, code.as_deref()) {
                        if let Some(r) = first.get(carrier.as_str()) {
                            due.push((row.try_get(0)?, r));
                        }
                    }
                    known.insert(carrier);
                }
            }
            let mut applied: HashSet<String> = HashSet::new();
            for chunk in due.chunks(ROWS_PER_STATEMENT) {
                for row in receipt_statement(backend, chunk)
                    .$d()
                    .fetch_all(&mut *$tx)
                    .await?
                {
                    applied.insert(row.try_get(0)?);
                }
            }
            (applied, known)
        }};
    }
    let (applied, known) = in_transaction!(store, body);
    let mut credited = HashSet::new();
    for r in batch {
        let id = r.carrier_id.as_str();
        if applied.contains(id) && credited.insert(id) {
            tally.applied += 1;
        } else if known.contains(id) {
            tally.ignored += 1;
        } else {
            tally.unknown.push(r.carrier_id.clone());
        }
    }
    Ok(tally)
}

pub(crate) async fn expire_unreceipted(
    store: &Store,
    now: i64,
    limit: usize,
) -> Result<u64, StoreError> {
    let backend = store.backend();
    let mut s = Statement::new(backend);
    s.push("UPDATE messages SET status = 'expired', error_code = 'no_receipt', due_at = NULL, done_at = ");
    s.bind(int(now));
    s.push(" WHERE id IN (SELECT id FROM messages WHERE status = 'sent' AND due_at <= ")
        .bind(int(now));
    s.push(" ORDER BY due_at LIMIT ")
        .bind(int(i64::try_from(limit).unwrap_or(i64::MAX)));
    if backend == Backend::Postgres {
        s.push(" FOR UPDATE SKIP LOCKED");
    }
    // The subquery ran on a snapshot: re-check, so a receipt that landed meanwhile is not overwritten.
    s.push(") AND status = 'sent'");
    Ok(crate::execute!(store, s)?)
}
