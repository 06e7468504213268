//! The SMPP route as a [`Connector`].

use std::{
    sync::{
        Arc,
        atomic::{AtomicU16, AtomicUsize, Ordering},
    },
    time::Duration,
};

use futures::future::BoxFuture;

use super::{
    pdu::{self, Envelope},
    segments::{self, Segment},
    session::Shared,
    submit,
};
use crate::{Capabilities, Connector, Content, OutboundMessage, SubmitOutcome, mm1::PushSender};

/// An SMPP route: its binds, spread messages, and receipts matched to the ids it returned.
pub struct SmppConnector {
    pub(super) shared: Arc<Shared>,
    pub(super) capabilities: Capabilities,
    pub(super) next_bind: AtomicUsize,
    pub(super) next_reference: AtomicU16,
}

impl SmppConnector {
    /// Submits binary user data that already carries its user data header, one submit_sm per element, with
    /// data_coding 8-bit and the UDHI flag: the segments of a WAP Push (see `canvass_mms::wap_push`).
    /// Accepted only when every segment was.
    pub async fn submit_binary_segments(
        &self,
        from: &str,
        to: &str,
        user_data: Vec<Vec<u8>>,
        want_receipt: bool,
    ) -> SubmitOutcome {
        let envelope = self.envelope(from, to, want_receipt, None);
        self.submit_segments(&envelope, segments::binary_segments(user_data))
            .await
    }

    fn envelope<'a>(
        &self,
        from: &'a str,
        to: &'a str,
        want_receipt: bool,
        validity: Option<Duration>,
    ) -> Envelope<'a> {
        Envelope {
            from,
            to,
            registered_delivery: if want_receipt {
                self.shared.config.registered_delivery
            } else {
                0
            },
            validity,
        }
    }

    async fn submit_segments(
        &self,
        envelope: &Envelope<'_>,
        segments: Vec<Segment>,
    ) -> SubmitOutcome {
        if segments.is_empty() {
            return SubmitOutcome::PermanentFailure {
                code: "empty".into(),
                reason: "nothing to send".into(),
            };
        }
        let pdus: Result<Vec<_>, String> = segments
            .iter()
            .map(|segment| pdu::submit_sm(&self.shared.config, envelope, segment))
            .collect();
        let pdus = match pdus {
            Ok(pdus) => pdus,
            Err(reason) => {
                return SubmitOutcome::PermanentFailure {
                    code: "invalid_message".into(),
                    reason,
                };
            }
        };
        let start = self.next_bind.fetch_add(1, Ordering::Relaxed);
        let slot = match submit::pick_bind(&self.shared, start).await {
            Ok(slot) => slot,
            Err(outcome) => return outcome,
        };
        match submit::segments(&self.shared, &slot, pdus).await {
            Ok(carrier_ids) => SubmitOutcome::Accepted { carrier_ids },
            Err(outcome) => outcome,
        }
    }
}

impl Connector for SmppConnector {
    fn name(&self) -> &str {
        &self.shared.config.name
    }

    fn capabilities(&self) -> &Capabilities {
        &self.capabilities
    }

    fn submit<'a>(&'a self, message: &'a OutboundMessage) -> BoxFuture<'a, SubmitOutcome> {
        Box::pin(async move {
            let Content::Text(text) = &message.content else {
                return SubmitOutcome::PermanentFailure {
                    code: "unsupported_content".into(),
                    reason: "an SMPP route carries text".into(),
                };
            };
            let reference = self.next_reference.fetch_add(1, Ordering::Relaxed);
            let segments =
                match segments::text_segments(text, self.shared.config.concatenation, reference) {
                    Ok(segments) => segments,
                    Err(error) => {
                        return SubmitOutcome::PermanentFailure {
                            code: "too_long".into(),
                            reason: error.to_string(),
                        };
                    }
                };
            let envelope = self.envelope(
                &message.from,
                &message.to,
                message.want_receipt,
                message.validity,
            );
            self.submit_segments(&envelope, segments).await
        })
    }

    fn shutdown(&self) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            // Wait for the submits in flight: take every permit of every window, then close the windows so
            // that later submits fail at once.
            for slot in &self.shared.slots {
                let permits = u32::try_from(self.shared.config.window).unwrap_or(u32::MAX);
                let wait = self.shared.config.response_timeout * 2;
                if let Ok(Ok(permits)) =
                    tokio::time::timeout(wait, slot.window.acquire_many(permits)).await
                {
                    permits.forget();
                }
                slot.window.close();
            }
            self.shared.shutdown.send_replace(true);
            for slot in &self.shared.slots {
                let mut state = slot.state.subscribe();
                let _ = tokio::time::timeout(
                    self.shared.config.response_timeout,
                    state.wait_for(|s| *s != super::session::BindState::Up),
                )
                .await;
            }
        })
    }
}

/// MM1 sends its WAP Push notifications through an SMPP route. A receipt is asked for: the handset's
/// m-delivery-ind tells what became of an MMS it heard of, but only the SMS receipt tells that the push itself
/// failed (a landline, a phone off until the SMS expired).
impl PushSender for SmppConnector {
    fn push<'a>(
        &'a self,
        from: &'a str,
        to: &'a str,
        segments: Vec<Vec<u8>>,
    ) -> BoxFuture<'a, SubmitOutcome> {
        Box::pin(self.submit_binary_segments(from, to, segments, true))
    }
}

/// A route dropped without `shutdown` still unbinds: its bind tasks would otherwise keep it up for good.
impl Drop for SmppConnector {
    fn drop(&mut self) {
        self.shared.shutdown.send_replace(true);
    }
}
