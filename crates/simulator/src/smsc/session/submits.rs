//! A session's submits: submit_sm, data_sm and submit_multi, answered as the recipients' personalities say, with
//! receipts scheduled after the answer.

use std::{sync::Arc, time::Duration};

use canvass_types::Personality;
use rusmpp::{
    CommandStatus, Pdu,
    pdus::{DataSmResp, SubmitMulti, SubmitMultiResp, SubmitSmResp},
    types::COctetString,
    values::{DestAddress, Npi, Ton, UnsuccessSme},
};

use super::{BindKind, INTERFACE, Session};
use crate::smsc::{
    Shared,
    receipt::{self, MessageId, Outcome, Receipted},
    submit::{Submission, Verdict, verdict},
};

/// Which PDU a submit came in, for the shape of its answer.
#[derive(Debug, Clone, Copy)]
pub(super) enum SubmitKind {
    SubmitSm,
    DataSm,
}

/// A receipt to send once the answer is out: what, how it ended, to which system_id, and the session that
/// submitted it (preferred when it can receive).
type PendingReceipt = (Receipted, Outcome, String, u64);

fn message_id(id: Option<&str>) -> COctetString<1, 65> {
    id.and_then(|id| COctetString::from_string(id.to_owned()).ok())
        .unwrap_or_default()
}

fn submit_resp(kind: SubmitKind, id: Option<&str>) -> Pdu {
    let id = message_id(id);
    match kind {
        SubmitKind::SubmitSm => Pdu::SubmitSmResp(SubmitSmResp::builder().message_id(id).build()),
        SubmitKind::DataSm => Pdu::DataSmResp(DataSmResp::builder().message_id(id).build()),
    }
}

fn receipted(s: &Submission, id: MessageId, hex_ids: bool) -> Receipted {
    Receipted {
        id,
        hex_ids,
        handset: s.to.clone(),
        handset_ton: s.to_ton,
        handset_npi: s.to_npi,
        client: s.from.clone(),
        client_ton: s.from_ton,
        client_npi: s.from_npi,
        submitted: std::time::SystemTime::now(),
        sample: receipt::sample(s.data_coding, s.text()),
    }
}

impl Session {
    /// The system_id of a bind that may submit.
    fn transmitting(&self) -> Option<String> {
        self.bound
            .as_ref()
            .filter(|b| b.kind != BindKind::Receiver)
            .map(|b| b.system_id.clone())
    }

    /// Counts the submit; `Some(verdict)` when the session-wide limits throttle it whatever the number.
    fn session_verdict(&mut self) -> Option<Verdict> {
        self.submits += 1;
        self.session_throttles().then_some(Verdict::Refuse {
            delay: self.shared.config.latency,
            status: CommandStatus::EsmeRthrottled,
        })
    }

    fn number_verdict(&self, to: &str) -> Verdict {
        let personality = Personality::of(to);
        let first = personality == Personality::Throttling && self.shared.first_for(to);
        verdict(personality, &self.shared.config, first)
    }

    /// Counts an accepted message, captures WAP Push, and says which receipt to send later, if any.
    fn accept(
        &self,
        submission: &Submission,
        id: MessageId,
        outcome: Option<Outcome>,
        system_id: &str,
    ) -> Option<PendingReceipt> {
        self.shared
            .stats
            .accepted(INTERFACE, &submission.to, &submission.content);
        if let Some((data, concat)) = submission.wap_push_segment() {
            self.shared
                .wap
                .segment(&submission.from, &submission.to, concat, data);
        }
        let hex_ids = self.shared.config.hex_ids;
        outcome.filter(|o| submission.wants_receipt(*o)).map(|o| {
            (
                receipted(submission, id, hex_ids),
                o,
                system_id.to_owned(),
                self.outbox.id,
            )
        })
    }

    pub(super) fn submit(&mut self, seq: u32, kind: SubmitKind, submission: Submission) {
        let Some(system_id) = self.transmitting() else {
            self.outbox
                .answer(CommandStatus::EsmeRinvbndsts, seq, submit_resp(kind, None));
            return;
        };
        let verdict = self
            .session_verdict()
            .unwrap_or_else(|| self.number_verdict(&submission.to));
        let stats = &self.shared.stats;
        match verdict {
            Verdict::Unbind => {
                stats.dropped(INTERFACE);
                self.outbox.request(Pdu::Unbind);
                self.outbox.close();
            }
            Verdict::Ignore => stats.dropped(INTERFACE),
            Verdict::Refuse { delay, status } => {
                stats.refused(INTERFACE);
                self.answer_later(delay, status, seq, submit_resp(kind, None), Vec::new());
            }
            Verdict::Accept { delay, outcome } => {
                let id = self.shared.next_id();
                let receipt = self.accept(&submission, id, outcome, &system_id);
                let resp = submit_resp(kind, Some(&id.for_response(self.shared.config.hex_ids)));
                let receipts = receipt.into_iter().collect();
                self.answer_later(delay, CommandStatus::EsmeRok, seq, resp, receipts);
            }
        }
    }

    /// submit_multi: one message id for all destinations, each judged by its own personality. A destination
    /// that would be refused, unanswered or unbound on is listed as unsuccessful instead (one PDU cannot be
    /// both answered and not), and distribution lists are not supported.
    pub(super) fn submit_multi(&mut self, seq: u32, sm: &SubmitMulti) {
        let empty = || {
            Pdu::SubmitMultiResp(SubmitMultiResp::new(
                message_id(None),
                Vec::new(),
                Vec::new(),
            ))
        };
        let Some(system_id) = self.transmitting() else {
            self.outbox
                .answer(CommandStatus::EsmeRinvbndsts, seq, empty());
            return;
        };
        let latency = self.shared.config.latency;
        if let Some(Verdict::Refuse { status, .. }) = self.session_verdict() {
            self.shared.stats.refused(INTERFACE);
            self.answer_later(latency, status, seq, empty(), Vec::new());
            return;
        }
        let id = self.shared.next_id();
        let (mut delay, mut unsuccessful, mut receipts) = (latency, Vec::new(), Vec::new());
        for destination in sm.dest_address() {
            let DestAddress::SmeAddress(sme) = destination else {
                let name = COctetString::default();
                let status = CommandStatus::EsmeRinvdlname;
                unsuccessful.push(UnsuccessSme::new(Ton::Unknown, Npi::Unknown, name, status));
                continue;
            };
            let submission = Submission::from_submit_multi(sm, sme);
            let failed = |status| {
                UnsuccessSme::new(
                    sme.dest_addr_ton,
                    sme.dest_addr_npi,
                    sme.destination_addr.clone(),
                    status,
                )
            };
            match self.number_verdict(&submission.to) {
                Verdict::Accept { delay: d, outcome } => {
                    delay = delay.max(d);
                    receipts.extend(self.accept(&submission, id, outcome, &system_id));
                }
                Verdict::Refuse { status, .. } => {
                    self.shared.stats.refused(INTERFACE);
                    unsuccessful.push(failed(status));
                }
                Verdict::Unbind | Verdict::Ignore => {
                    self.shared.stats.dropped(INTERFACE);
                    unsuccessful.push(failed(CommandStatus::EsmeRsubmitfail));
                }
            }
        }
        let id_text = id.for_response(self.shared.config.hex_ids);
        let resp = SubmitMultiResp::new(message_id(Some(&id_text)), unsuccessful, Vec::new());
        self.answer_later(
            delay,
            CommandStatus::EsmeRok,
            seq,
            Pdu::SubmitMultiResp(resp),
            receipts,
        );
    }

    /// Answers after `delay` (at once when zero, keeping answer order), then sends the receipts after the
    /// receipt delay.
    fn answer_later(
        &self,
        delay: Duration,
        status: CommandStatus,
        seq: u32,
        resp: Pdu,
        receipts: Vec<PendingReceipt>,
    ) {
        let shared = self.shared.clone();
        if delay.is_zero() {
            self.outbox.answer(status, seq, resp);
            if !receipts.is_empty() {
                tokio::spawn(send_receipts(shared, receipts));
            }
            return;
        }
        let outbox = self.outbox.clone();
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            outbox.answer(status, seq, resp);
            send_receipts(shared, receipts).await;
        });
    }
}

/// Sends `receipts` after the configured receipt delay.
async fn send_receipts(shared: Arc<Shared>, receipts: Vec<PendingReceipt>) {
    if receipts.is_empty() {
        return;
    }
    tokio::time::sleep(shared.config.receipt_delay).await;
    for (receipted, outcome, system_id, session) in receipts {
        shared.send_receipt(&system_id, session, &receipted, outcome);
    }
}
