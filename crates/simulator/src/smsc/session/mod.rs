//! One ESME connection: binds, submits, keep-alives, and the writes queued for it by other tasks.

use std::{collections::HashMap, sync::Arc, time::Duration};

use futures::{SinkExt, StreamExt};
use rusmpp::{
    Command, CommandId, CommandStatus, Pdu,
    pdus::{BindReceiverResp, BindTransceiverResp, BindTransmitterResp, DeliverSm},
    types::COctetString,
    values::InterfaceVersion,
};
use tokio::{net::TcpStream, time::Instant};
use tokio_util::{codec::Framed, sync::CancellationToken};

mod submits;

use super::{
    Shared,
    codec::{Frame, SmppCodec},
    outbox::{Outbound, Outbox},
    submit::Submission,
};
use submits::SubmitKind;

/// The interface name in [`crate::Stats`].
pub(crate) const INTERFACE: &str = "smpp";
/// The system_id the SMSC answers binds with.
const SMSC_SYSTEM_ID: &str = "canvass-sim";
/// deliver_sm awaiting their answer, kept per session for redelivery; past this, more go untracked.
const MAX_UNANSWERED: usize = 100_000;
/// How long a deliver_sm refused with an error waits before it is sent again.
const REDELIVERY_DELAY: Duration = Duration::from_secs(1);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BindKind {
    Transmitter,
    Receiver,
    Transceiver,
}

#[derive(Debug)]
struct Bound {
    system_id: String,
    kind: BindKind,
}

struct Session {
    shared: Arc<Shared>,
    outbox: Outbox,
    bound: Option<Bound>,
    submits: u64,
    /// Start of the current one-second rate window, and submits in it.
    window: (Instant, u32),
    /// deliver_sm sent and not yet answered, by sequence number. An SMSC forgets a receipt or MO message only
    /// once the ESME answers ESME_ROK: one refused is sent again after a pause, and those unanswered when the
    /// session ends go to another receiver of the system_id, or wait for the next bind.
    unanswered: HashMap<u32, DeliverSm>,
}

/// Serves one connection until it closes, the peer goes silent, or the SMSC shuts down.
pub(crate) async fn run(stream: TcpStream, shared: Arc<Shared>, cancel: CancellationToken) {
    // Each PDU is written as soon as it is ready; Nagle would hold small answers back.
    let _ = stream.set_nodelay(true);
    let mut framed = Framed::new(stream, SmppCodec::default());
    let (outbox, mut outbound) = Outbox::new();
    // A zero timeout would close every session at once; treat it as the shortest sensible one.
    let idle = shared.config.idle_timeout.max(Duration::from_millis(10));
    let mut session = Session {
        shared: shared.clone(),
        outbox: outbox.clone(),
        bound: None,
        submits: 0,
        window: (Instant::now(), 0),
        unanswered: HashMap::new(),
    };
    let mut deadline = Instant::now() + idle;
    let mut probed = false;
    loop {
        tokio::select! {
            biased;
            () = cancel.cancelled() => break,
            next = outbound.recv() => match next {
                Some(Outbound::Pdu(command)) => {
                    session.track(&command);
                    // A peer that stops reading must not pin the session forever.
                    match tokio::time::timeout(idle, framed.send(*command)).await {
                        Ok(Ok(())) => {}
                        _ => break,
                    }
                }
                Some(Outbound::Close) | None => break,
            },
            frame = framed.next() => match frame {
                Some(Ok(frame)) => {
                    deadline = Instant::now() + idle;
                    probed = false;
                    session.handle(frame);
                }
                // A broken length, or a socket error: the byte stream cannot be trusted any more.
                Some(Err(_)) | None => break,
            },
            () = tokio::time::sleep_until(deadline) => {
                if probed {
                    break;
                }
                probed = true;
                outbox.request(Pdu::EnquireLink);
                deadline = Instant::now() + idle;
            }
        }
    }
    // Closing the queue first makes receipts pick another receiver instead of queueing to this dead one; what
    // was queued and never written is as unanswered as what was written.
    outbound.close();
    while let Ok(left) = outbound.try_recv() {
        if let Outbound::Pdu(command) = left {
            session.track(&command);
        }
    }
    drop(outbound);
    shared.binds.unregister(outbox.id);
    session.redeliver_unanswered();
}

fn bind_resp(kind: BindKind) -> Pdu {
    let system_id = COctetString::from_string(SMSC_SYSTEM_ID.to_owned()).unwrap_or_default();
    let version = Some(InterfaceVersion::Smpp3_4);
    match kind {
        BindKind::Transmitter => {
            Pdu::BindTransmitterResp(BindTransmitterResp::new(system_id, version))
        }
        BindKind::Receiver => Pdu::BindReceiverResp(BindReceiverResp::new(system_id, version)),
        BindKind::Transceiver => {
            Pdu::BindTransceiverResp(BindTransceiverResp::new(system_id, version))
        }
    }
}

impl Session {
    fn handle(&mut self, frame: Frame) {
        match frame {
            Frame::Undecodable {
                command_id,
                sequence_number,
            } => {
                tracing::debug!(command_id, sequence_number, "undecodable PDU body");
                self.nack(sequence_number, CommandStatus::EsmeRinvcmdlen);
            }
            Frame::Command(command) => self.command(*command),
        }
    }

    /// Notes a deliver_sm on its way to the socket.
    fn track(&mut self, command: &Command) {
        if let Some(Pdu::DeliverSm(pdu)) = command.pdu()
            && self.unanswered.len() < MAX_UNANSWERED
        {
            self.unanswered
                .insert(command.sequence_number(), pdu.clone());
        }
    }

    /// A deliver_sm_resp: done with `ESME_ROK`; any other status asks for the deliver_sm again later.
    fn answered(&mut self, sequence: u32, status: CommandStatus) {
        let Some(pdu) = self.unanswered.remove(&sequence) else {
            return;
        };
        if status == CommandStatus::EsmeRok {
            return;
        }
        let Some(system_id) = self.bound.as_ref().map(|b| b.system_id.clone()) else {
            return;
        };
        let shared = self.shared.clone();
        let session = self.outbox.id;
        tokio::spawn(async move {
            tokio::time::sleep(REDELIVERY_DELAY).await;
            shared.binds.receipt(&system_id, session, pdu);
        });
    }

    /// Sends what this session left unanswered to the system_id's other receivers, or keeps it for its next bind.
    fn redeliver_unanswered(&mut self) {
        let Some(system_id) = self.bound.as_ref().map(|b| b.system_id.clone()) else {
            return;
        };
        let mut left: Vec<(u32, DeliverSm)> = self.unanswered.drain().collect();
        // In the order they were first sent.
        left.sort_by_key(|(sequence, _)| *sequence);
        for (_, pdu) in left {
            self.shared.binds.receipt(&system_id, self.outbox.id, pdu);
        }
    }

    fn nack(&self, sequence_number: u32, status: CommandStatus) {
        self.outbox
            .answer(status, sequence_number, Pdu::GenericNack);
    }

    fn command(&mut self, command: Command) {
        let seq = command.sequence_number();
        match command.id() {
            CommandId::EnquireLink => {
                self.outbox
                    .answer(CommandStatus::EsmeRok, seq, Pdu::EnquireLinkResp);
                return;
            }
            CommandId::Unbind => {
                self.outbox
                    .answer(CommandStatus::EsmeRok, seq, Pdu::UnbindResp);
                self.outbox.close();
                return;
            }
            CommandId::UnbindResp => {
                self.outbox.close();
                return;
            }
            CommandId::DeliverSmResp => {
                self.answered(seq, command.status());
                return;
            }
            // Answers to what we sent; nothing to do.
            CommandId::EnquireLinkResp | CommandId::DataSmResp | CommandId::GenericNack => return,
            _ => {}
        }
        match command.pdu() {
            Some(Pdu::BindTransmitter(b)) => self.bind(
                seq,
                BindKind::Transmitter,
                b.system_id.as_str(),
                b.password.as_str(),
            ),
            Some(Pdu::BindReceiver(b)) => self.bind(
                seq,
                BindKind::Receiver,
                b.system_id.as_str(),
                b.password.as_str(),
            ),
            Some(Pdu::BindTransceiver(b)) => self.bind(
                seq,
                BindKind::Transceiver,
                b.system_id.as_str(),
                b.password.as_str(),
            ),
            Some(Pdu::SubmitSm(sm)) => {
                self.submit(seq, SubmitKind::SubmitSm, Submission::from_submit_sm(sm))
            }
            Some(Pdu::DataSm(sm)) => {
                self.submit(seq, SubmitKind::DataSm, Submission::from_data_sm(sm))
            }
            Some(Pdu::SubmitMulti(sm)) => self.submit_multi(seq, sm),
            // Unknown ids, and the operations this SMSC does not offer (query, cancel, replace, broadcast).
            _ => self.nack(seq, CommandStatus::EsmeRinvcmdid),
        }
    }

    fn bind(&mut self, seq: u32, kind: BindKind, system_id: &str, password: &str) {
        if self.bound.is_some() {
            self.outbox
                .answer(CommandStatus::EsmeRalybnd, seq, bind_resp(kind));
            return;
        }
        let status = match &self.shared.config.credentials {
            Some((user, _)) if user != system_id => CommandStatus::EsmeRinvsysid,
            Some((_, secret)) if secret != password => CommandStatus::EsmeRinvpaswd,
            _ => CommandStatus::EsmeRok,
        };
        self.outbox.answer(status, seq, bind_resp(kind));
        if status != CommandStatus::EsmeRok {
            self.outbox.close();
            return;
        }
        if kind != BindKind::Transmitter {
            let flushed = self.shared.binds.register(system_id, self.outbox.clone());
            for _ in 0..flushed {
                self.shared.stats.receipt_sent(INTERFACE);
            }
        }
        self.bound = Some(Bound {
            system_id: system_id.to_owned(),
            kind,
        });
    }

    /// Whether this submit goes over the per-session rate limit.
    fn over_rate(&mut self) -> bool {
        let limit = self.shared.config.rate_limit;
        if limit == 0 {
            return false;
        }
        let now = Instant::now();
        if now.duration_since(self.window.0) >= Duration::from_secs(1) {
            self.window = (now, 0);
        }
        self.window.1 += 1;
        self.window.1 > limit
    }

    fn session_throttles(&mut self) -> bool {
        let every = u64::from(self.shared.config.throttle_every);
        let nth = every > 0 && self.submits.is_multiple_of(every);
        // Both run, so that a throttled submit still counts against the rate.
        self.over_rate() | nth
    }
}
