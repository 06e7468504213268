//! Submitting a message's segments through one bind's window, and reading the SMSC's answer as an outcome.

use std::{
    sync::{Arc, PoisonError},
    time::Duration,
};

use rusmpp::pdus::SubmitSm;
use rusmppc::error::Error;

use super::{
    session::{BindSlot, Shared},
    status,
};
use crate::{SubmitOutcome, backoff::Backoff};

fn temporary(code: &str, reason: impl Into<String>) -> SubmitOutcome {
    SubmitOutcome::TemporaryFailure {
        code: code.to_owned(),
        reason: reason.into(),
    }
}

/// Picks a bound, unpaused bind, starting at `start` so that messages spread across binds. Waits up to
/// `bind_wait` for one to come up.
pub async fn pick_bind(shared: &Shared, start: usize) -> Result<Arc<BindSlot>, SubmitOutcome> {
    let deadline = tokio::time::Instant::now() + shared.config.bind_wait;
    loop {
        let bound = shared.bound.notified();
        let count = shared.slots.len();
        let mut resting: Option<Duration> = None;
        for k in 0..count {
            let slot = &shared.slots[(start + k) % count];
            if !slot.submits() || slot.client().is_none() {
                continue;
            }
            match slot.paused_for() {
                Some(left) => resting = Some(resting.map_or(left, |r| r.min(left))),
                None => return Ok(slot.clone()),
            }
        }
        if let Some(left) = resting {
            return Err(SubmitOutcome::Throttled {
                retry_after: Some(left),
            });
        }
        if tokio::time::timeout_at(deadline, bound).await.is_err() {
            let why = shared
                .slots
                .iter()
                .map(|slot| format!("{:?}", *slot.state.borrow()))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(temporary("not_bound", format!("no bind is up: {why}")));
        }
    }
}

/// Submits the segments in order on one bind; the carrier ids, or the outcome that stopped them.
pub async fn segments(
    shared: &Shared,
    slot: &BindSlot,
    pdus: Vec<SubmitSm>,
) -> Result<Vec<String>, SubmitOutcome> {
    let mut ids = Vec::with_capacity(pdus.len());
    for (index, pdu) in pdus.into_iter().enumerate() {
        let id = one(shared, slot, pdu, index == 0).await?;
        shared
            .outstanding
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(&id);
        ids.push(id);
    }
    Ok(ids)
}

/// One submit_sm through the window. Throttling on the first segment is handed back to the caller (nothing
/// was handed over yet); on a later one the earlier parts are already out, so it is waited out here.
async fn one(
    shared: &Shared,
    slot: &BindSlot,
    pdu: SubmitSm,
    first: bool,
) -> Result<String, SubmitOutcome> {
    let config = &shared.config;
    let _permit = slot
        .window
        .acquire()
        .await
        .map_err(|_| temporary("shutdown", "the connector is shutting down"))?;
    let mut queue_full = Backoff::new(Duration::from_millis(50), Duration::from_secs(1));
    let mut retries = 0;
    loop {
        let client = slot
            .client()
            .ok_or_else(|| temporary("not_bound", "the bind dropped"))?;
        let code = match client.submit_sm(pdu.clone()).await {
            Ok(response) => return Ok(response.message_id().as_str().to_owned()),
            Err(Error::UnexpectedResponse { response }) => u32::from(response.status()),
            Err(Error::ResponseTimeout { timeout, .. }) => {
                slot.probe(client);
                return Err(temporary(
                    "timeout",
                    format!("no submit_sm_resp within {timeout:?}"),
                ));
            }
            Err(other) => return Err(temporary("connection", other.to_string())),
        };
        let may_retry = retries < config.msgqful_retries;
        match code {
            status::RTHROTTLED => {
                slot.pause(config.throttle_pause);
                if first {
                    return Err(SubmitOutcome::Throttled {
                        retry_after: Some(config.throttle_pause),
                    });
                }
                if !may_retry {
                    return Err(status::refusal(code));
                }
                tokio::time::sleep(config.throttle_pause).await;
            }
            status::RMSGQFUL if may_retry => {
                tokio::time::sleep(queue_full.next_delay()).await;
            }
            status::ROK => {
                return Err(temporary(
                    "unexpected",
                    "an answer that is not a submit_sm_resp",
                ));
            }
            _ => return Err(status::refusal(code)),
        }
        retries += 1;
    }
}
