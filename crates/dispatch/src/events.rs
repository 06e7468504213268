//! What carriers send back: receipts become final statuses, inbound messages go to the inbox, and STOP, START and
//! HELP change consent and get their one reply.

use crate::ports::{ConsentChange, InboundRecord, MediaSink, Queue, ReceiptUpdate};
use crate::process::carrier_key;
use crate::receipts::{ReceiptBuffer, final_status};
use crate::routing::RouteQuery;
use crate::worker::Dispatcher;
use canvass_campaigns::compliance::{Keyword, classify};
use canvass_connectors::{
    ConnectorEvent, EventStream, InboundMessage, Incoming, OutboundMessage, Settle,
};
use canvass_types::{Channel, TenantId};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch};

/// Receipts applied per transaction.
const RECEIPT_BATCH: usize = 1024;

/// Reads every route's event stream until `shutdown`, and applies what arrives.
pub async fn run<Q: Queue, M: MediaSink>(
    dispatcher: Arc<Dispatcher<Q>>,
    media: Arc<M>,
    streams: Vec<(String, EventStream)>,
    mut shutdown: watch::Receiver<bool>,
) {
    let (tx, mut rx) = mpsc::channel::<(String, Incoming)>(8192);
    let mut readers = Vec::new();
    for (route, mut stream) in streams {
        let tx = tx.clone();
        readers.push(tokio::spawn(async move {
            while let Some(event) = stream.next_incoming().await {
                if tx.send((route.clone(), event)).await.is_err() {
                    return;
                }
            }
        }));
    }
    drop(tx);
    let mut buffer: ReceiptBuffer<Settle> = ReceiptBuffer::default();
    let mut receipts: Vec<(ReceiptUpdate, Settle)> = Vec::new();
    let mut tick = tokio::time::interval(Duration::from_millis(25));
    loop {
        tokio::select! {
            event = rx.recv() => match event {
                Some((route, event)) => on_event(&dispatcher, &*media, &route, event, &mut receipts).await,
                None => break,
            },
            _ = tick.tick() => {}
            _ = shutdown.changed() => if *shutdown.borrow() { break },
        }
        // Drain what is already waiting so a burst of receipts shares one transaction.
        while receipts.len() < RECEIPT_BATCH {
            match rx.try_recv() {
                Ok((route, event)) => {
                    on_event(&dispatcher, &*media, &route, event, &mut receipts).await
                }
                Err(_) => break,
            }
        }
        let now = dispatcher.now_ms();
        if !receipts.is_empty() {
            apply(&dispatcher, &mut buffer, std::mem::take(&mut receipts), now).await;
        }
        retry_pending(&dispatcher, &mut buffer, now).await;
        let dropped = buffer.expired(now);
        if !dropped.is_empty() {
            tracing::info!(
                dropped = dropped.len(),
                "receipts that matched no message were given up"
            );
            // Given up for good: the carrier need not send them again.
            dropped.into_iter().for_each(|p| p.ticket.kept());
        }
    }
    for reader in readers {
        reader.abort();
    }
}

/// Applies a batch in one transaction, then answers each receipt's connector: kept once committed. A receipt
/// that matched nothing yet (it overtook its submit's settlement) waits here with its answer still owed, so a
/// crash meanwhile makes the carrier send it again. When the store fails, a carrier that resends is told so;
/// receipts from one that does not wait here for retry.
async fn apply<Q: Queue>(
    d: &Dispatcher<Q>,
    buffer: &mut ReceiptBuffer<Settle>,
    batch: Vec<(ReceiptUpdate, Settle)>,
    now: i64,
) {
    let (updates, settles): (Vec<ReceiptUpdate>, Vec<Settle>) = batch.into_iter().unzip();
    match d.queue.apply_receipts(&updates).await {
        Ok(tally) => {
            let unknown: std::collections::HashSet<String> = tally.unknown.into_iter().collect();
            for (receipt, settle) in updates.into_iter().zip(settles) {
                if unknown.contains(&receipt.carrier_id) {
                    tracing::debug!(carrier_id = %receipt.carrier_id, "receipt matched no message yet; kept");
                    buffer.push(receipt, settle, now);
                } else {
                    settle.kept();
                }
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, n = updates.len(), "applying receipts failed");
            for (receipt, settle) in updates.into_iter().zip(settles) {
                if settle.is_tracked() {
                    settle.not_kept();
                } else {
                    buffer.push(receipt, settle, now);
                }
            }
        }
    }
}

/// Receipts that overtook their submit's write, tried again one by one.
async fn retry_pending<Q: Queue>(d: &Dispatcher<Q>, buffer: &mut ReceiptBuffer<Settle>, now: i64) {
    for pending in buffer.due_for_retry(now) {
        match d
            .queue
            .apply_receipts(std::slice::from_ref(&pending.update))
            .await
        {
            Ok(t) if t.unknown.is_empty() => pending.ticket.kept(),
            Ok(_) | Err(_) => {
                buffer.requeue(pending, now);
            }
        }
    }
}

async fn on_event<Q: Queue, M: MediaSink>(
    d: &Dispatcher<Q>,
    media: &M,
    route: &str,
    Incoming { event, settle }: Incoming,
    receipts: &mut Vec<(ReceiptUpdate, Settle)>,
) {
    match event {
        ConnectorEvent::Receipt(r) => {
            tracing::debug!(route, carrier_id = %r.carrier_id, state = ?r.state, "receipt");
            match final_status(r.state) {
                Some(status) => receipts.push((
                    ReceiptUpdate {
                        carrier_id: carrier_key(route, &r.carrier_id),
                        status,
                        error_code: r.error_code,
                        at: d.now_ms(),
                    },
                    settle,
                )),
                // An intermediate receipt changes nothing we keep.
                None => settle.kept(),
            }
        }
        ConnectorEvent::Inbound(inbound) => on_inbound(d, media, inbound, settle).await,
        ConnectorEvent::Handset { message_id, what } => {
            tracing::debug!(route, message_id, what, "handset event");
            settle.kept();
        }
        ConnectorEvent::Unparsed { source, reason, .. } => {
            tracing::warn!(route, source, reason, "carrier sent something unreadable");
            settle.kept();
        }
    }
}

async fn on_inbound<Q: Queue, M: MediaSink>(
    d: &Dispatcher<Q>,
    media: &M,
    inbound: InboundMessage,
    settle: Settle,
) {
    // The account that registered the number owns what is sent to it: the message, a STOP, the webhook. A
    // number nobody registered belongs to the default tenant (the operator's own, as before accounts).
    let tenant = match d.queue.number_owner(&inbound.to).await {
        Ok(owner) => owner.unwrap_or(TenantId::DEFAULT),
        Err(e) => {
            tracing::warn!(error = %e, to = %inbound.to, "cannot look up the number's account");
            if settle.is_tracked() {
                // The carrier sends it again; deciding the tenant wrongly now would file a STOP under another.
                settle.not_kept();
                return;
            }
            TenantId::DEFAULT
        }
    };
    let now = d.now_ms();
    let keyword = inbound.text.as_deref().and_then(classify);
    let mut rehosted = Vec::new();
    for part in &inbound.media {
        match media.put(&part.data).await {
            Ok(key) => rehosted.push((part.content_type.clone(), key)),
            Err(e) => {
                tracing::warn!(error = %e, from = %inbound.from, "rehosting inbound media failed")
            }
        }
    }
    let record = InboundRecord {
        tenant,
        from: inbound.from.clone(),
        to: inbound.to.clone(),
        body: inbound.text.clone(),
        media: rehosted,
        keyword: keyword.map(|k| format!("{k:?}").to_lowercase()),
        carrier_id: inbound.carrier_id.clone(),
        at: now,
    };
    if let Err(e) = d.queue.record_inbound(&record).await {
        tracing::warn!(error = %e, from = %inbound.from, "keeping an inbound message failed");
        if settle.is_tracked() {
            // The carrier sends it again; confirming now would confirm twice. A STOP holds at once all the same.
            if matches!(keyword, Some(Keyword::Stop)) {
                d.optouts.opt_out(tenant, &inbound.from);
            }
            settle.not_kept();
            return;
        }
    } else {
        settle.kept();
    }
    let reply = match keyword {
        Some(Keyword::Stop) => {
            // The in-process set first: it holds before the store write lands.
            d.optouts.opt_out(tenant, &inbound.from);
            consent(d, tenant, &inbound, false, now)
                .await
                .then(|| d.config.replies.stop.clone())
        }
        Some(Keyword::Start) => {
            d.optouts.opt_in(tenant, &inbound.from);
            consent(d, tenant, &inbound, true, now)
                .await
                .then(|| d.config.replies.start.clone())
        }
        Some(Keyword::Help) => Some(d.config.replies.help.clone()),
        None => None,
    };
    if let Some(text) = reply {
        send_reply(d, &inbound, text).await;
    }
}

/// Records the change; returns whether it changed anything (one confirmation per change).
async fn consent<Q: Queue>(
    d: &Dispatcher<Q>,
    tenant: TenantId,
    inbound: &InboundMessage,
    opt_in: bool,
    now: i64,
) -> bool {
    let change = ConsentChange {
        tenant,
        phone: inbound.from.clone(),
        opt_in,
        source: "sms_keyword".into(),
        evidence: Some(format!(
            "{:?} to {} (carrier id {})",
            inbound.text.as_deref().unwrap_or_default(),
            inbound.to,
            inbound.carrier_id.as_deref().unwrap_or("none")
        )),
        at: now,
    };
    match d.queue.record_consent(&change).await {
        Ok(changed) => changed,
        Err(e) => {
            tracing::error!(error = %e, phone = %inbound.from, "recording consent failed");
            false
        }
    }
}

async fn send_reply<Q: Queue>(d: &Dispatcher<Q>, inbound: &InboundMessage, text: String) {
    let query = RouteQuery {
        to: &inbound.from,
        tenant: TenantId::DEFAULT,
        channel: Channel::Sms,
        carrier: None,
    };
    let Some(route) = d.routes.candidates(&query).into_iter().next() else {
        tracing::warn!(to = %inbound.from, "no SMS route for a keyword reply");
        return;
    };
    let reply = OutboundMessage::text(
        format!("reply-{}", d.now_ms()),
        inbound.to.clone(),
        inbound.from.clone(),
        text,
    );
    let outcome = route.connector.submit(&reply).await;
    if !outcome.is_accepted() {
        tracing::warn!(to = %inbound.from, ?outcome, "keyword reply not accepted");
    }
}
