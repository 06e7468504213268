//! Writing outcomes back: settlements, carrier receipts and receipt deadlines.
//!
//! Each batch is one transaction of single-row statements whose text never varies with the data, so every
//! connection prepares each of them once and reuses it (sqlx caches prepared statements by text).

use crate::sql::{Statement, Value};
use crate::{Backend, Store, StoreError};
use canvass_dispatch::ports::{ReceiptTally, ReceiptUpdate, Settlement};

fn int(i: i64) -> Value {
    Value::Int(Some(i))
}

fn text(s: Option<&str>) -> Value {
    Value::Text(s.map(str::to_owned))
}

/// One settlement's statement. Every update is guarded by `status = 'sending'`: a message whose lease lapsed and
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

pub(crate) async fn settle(
    store: &Store,
    batch: &[Settlement],
    now: i64,
) -> Result<(), StoreError> {
    if batch.is_empty() {
        return Ok(());
    }
    let backend = store.backend();
    macro_rules! body {
        ($tx:ident, $d:ident) => {{
            for item in batch {
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

pub(crate) async fn apply_receipts(
    store: &Store,
    batch: &[ReceiptUpdate],
) -> Result<ReceiptTally, StoreError> {
    let backend = store.backend();
    let mut tally = ReceiptTally::default();
    if batch.is_empty() {
        return Ok(tally);
    }
    macro_rules! body {
        ($tx:ident, $d:ident) => {{
            for receipt in batch {
                let carrier_id = text(Some(&receipt.carrier_id));
                // A late receipt also corrects a message that expired only for want of one.
                let mut apply = Statement::new(backend);
                apply
                    .push("UPDATE messages SET status = ")
                    .bind(text(Some(receipt.status.as_str())));
                apply
                    .push(", error_code = ")
                    .bind(text(receipt.error_code.as_deref()));
                apply.push(", done_at = ").bind(int(receipt.at));
                apply
                    .push(", due_at = NULL WHERE carrier_id = ")
                    .bind(carrier_id.clone());
                apply.push(
                    " AND (status = 'sent' OR (status = 'expired' AND error_code = 'no_receipt'))",
                );
                if apply.$d().execute(&mut *$tx).await?.rows_affected() > 0 {
                    tally.applied += 1;
                    continue;
                }
                let mut known = Statement::new(backend);
                known
                    .push("SELECT 1 FROM messages WHERE carrier_id = ")
                    .bind(carrier_id);
                known.push(" LIMIT 1");
                if known.$d().fetch_optional(&mut *$tx).await?.is_some() {
                    tally.ignored += 1;
                } else {
                    tally.unknown += 1;
                }
            }
        }};
    }
    in_transaction!(store, body);
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
