//! A bare SMPP client for driving the simulated SMSC: rusmpp's codec over tokio, nothing else, so that tests see
//! exactly what went over the wire.
#![allow(dead_code)] // Each test binary uses a different subset.

use std::{str::FromStr, time::Duration};

use futures::{SinkExt, StreamExt};
use rusmpp::{
    Command, CommandId, CommandStatus, Pdu,
    pdus::{BindReceiver, BindTransceiver, BindTransmitter, DeliverSm, SubmitSm},
    tlvs::TlvValue,
    tokio_codec::CommandCodec,
    types::{COctetString, OctetString},
    values::{DataCoding, EsmClass, RegisteredDelivery},
};
use std::sync::Arc;

use canvass_simulator::{SimConfig, Stats, smsc::Smsc};
use tokio::net::TcpStream;
use tokio_util::codec::Framed;

/// How long a test waits for anything before failing.
pub const WAIT: Duration = Duration::from_secs(5);

pub struct Client {
    pub framed: Framed<TcpStream, CommandCodec>,
    seq: u32,
    /// deliver_sm PDUs received (and acknowledged) while waiting for something else.
    pub delivered: Vec<DeliverSm>,
}

#[derive(Debug, Clone, Copy)]
pub enum Bind {
    Transmitter,
    Receiver,
    Transceiver,
}

pub fn address(value: &str) -> COctetString<1, 21> {
    COctetString::from_str(value).expect("address fits")
}

/// A submit_sm asking for every receipt.
pub fn submit(to: &str, text: &[u8]) -> SubmitSm {
    SubmitSm::builder()
        .source_addr(address("12345"))
        .destination_addr(address(to))
        // rusmpp's EsmClass::default() is 0x08, not 0.
        .esm_class(EsmClass::from(0))
        .registered_delivery(RegisteredDelivery::request_all())
        .short_message(OctetString::from_slice(text).expect("short message fits"))
        .build()
}

/// A submit_sm of 8-bit user data with a UDH.
pub fn submit_udh(to: &str, user_data: &[u8]) -> SubmitSm {
    SubmitSm::builder()
        .source_addr(address("12345"))
        .destination_addr(address(to))
        .esm_class(EsmClass::from(0x40))
        .data_coding(DataCoding::from(0x04))
        .registered_delivery(RegisteredDelivery::request_all())
        .short_message(OctetString::from_slice(user_data).expect("user data fits"))
        .build()
}

impl Client {
    pub async fn connect(addr: std::net::SocketAddr) -> Client {
        let stream = TcpStream::connect(addr).await.expect("connect to the SMSC");
        Client {
            framed: Framed::new(stream, CommandCodec::new()),
            seq: 0,
            delivered: Vec::new(),
        }
    }

    /// Sends a request; returns its sequence number.
    pub async fn send(&mut self, pdu: impl Into<Pdu>) -> u32 {
        self.seq += 1;
        let command = Command::new(CommandStatus::EsmeRok, self.seq, pdu);
        self.framed.send(command).await.expect("send a PDU");
        self.seq
    }

    /// The next PDU; `None` once the SMSC closed the connection. Panics after [`WAIT`].
    pub async fn next(&mut self) -> Option<Command> {
        match tokio::time::timeout(WAIT, self.framed.next()).await {
            Ok(Some(Ok(command))) => Some(command),
            Ok(Some(Err(_)) | None) => None,
            Err(_) => panic!("nothing from the SMSC within {WAIT:?}"),
        }
    }

    /// Reads until `want` matches, acknowledging and keeping deliver_sm PDUs on the way.
    pub async fn until(&mut self, want: impl Fn(&Command) -> bool) -> Command {
        loop {
            let command = self.next().await.expect("the SMSC closed the session");
            if want(&command) {
                return command;
            }
            if let Some(Pdu::DeliverSm(sm)) = command.pdu() {
                self.delivered.push(sm.clone());
                let resp = Command::new(
                    CommandStatus::EsmeRok,
                    command.sequence_number(),
                    Pdu::DeliverSmResp(Default::default()),
                );
                self.framed.send(resp).await.expect("answer deliver_sm");
            }
        }
    }

    /// The answer to request `seq`.
    pub async fn answer_to(&mut self, seq: u32) -> Command {
        self.until(|c| c.sequence_number() == seq && is_response(c.id()))
            .await
    }

    /// The next receipt (a deliver_sm) after any already received.
    pub async fn receipt(&mut self) -> DeliverSm {
        if !self.delivered.is_empty() {
            return self.delivered.remove(0);
        }
        let command = self.until(|c| c.id() == CommandId::DeliverSm).await;
        let resp = Command::new(
            CommandStatus::EsmeRok,
            command.sequence_number(),
            Pdu::DeliverSmResp(Default::default()),
        );
        self.framed.send(resp).await.expect("answer deliver_sm");
        match command.pdu() {
            Some(Pdu::DeliverSm(sm)) => sm.clone(),
            other => panic!("expected deliver_sm, got {other:?}"),
        }
    }

    pub async fn bind(&mut self, kind: Bind, system_id: &str, password: &str) -> CommandStatus {
        let (sid, pw) = (
            COctetString::from_str(system_id).expect("system_id fits"),
            COctetString::from_str(password).expect("password fits"),
        );
        let seq = match kind {
            Bind::Transmitter => {
                self.send(
                    BindTransmitter::builder()
                        .system_id(sid)
                        .password(pw)
                        .build(),
                )
                .await
            }
            Bind::Receiver => {
                self.send(BindReceiver::builder().system_id(sid).password(pw).build())
                    .await
            }
            Bind::Transceiver => {
                self.send(
                    BindTransceiver::builder()
                        .system_id(sid)
                        .password(pw)
                        .build(),
                )
                .await
            }
        };
        self.answer_to(seq).await.status()
    }

    /// Submits and returns the answer's status and message id.
    pub async fn submit(&mut self, sm: SubmitSm) -> (CommandStatus, String) {
        let seq = self.send(sm).await;
        let answer = self.answer_to(seq).await;
        let id = match answer.pdu() {
            Some(Pdu::SubmitSmResp(resp)) => resp.message_id().to_string(),
            _ => String::new(),
        };
        (answer.status(), id)
    }

    /// True once the SMSC closed the connection (anything still queued is read and dropped).
    pub async fn closed(&mut self) -> bool {
        while self.next().await.is_some() {}
        true
    }
}

pub fn is_response(id: CommandId) -> bool {
    u32::from(id) & 0x8000_0000 != 0
}

/// The receipt's text.
pub fn text_of(sm: &DeliverSm) -> String {
    String::from_utf8_lossy(sm.short_message().as_ref()).into_owned()
}

/// The receipt TLVs: receipted_message_id, message_state (as u8) and network error code, if present.
pub fn receipt_tlvs(sm: &DeliverSm) -> (Option<String>, Option<u8>, Option<u16>) {
    let mut found = (None, None, None);
    for tlv in sm.tlvs() {
        match tlv.value() {
            Some(TlvValue::ReceiptedMessageId(id)) => found.0 = Some(id.to_string()),
            Some(TlvValue::MessageState(state)) => found.1 = Some(u8::from(*state)),
            Some(TlvValue::NetworkErrorCode(code)) => found.2 = Some(code.error_code),
            _ => {}
        }
    }
    found
}

/// Checks a receipt text against the de facto format, dates included.
pub fn assert_receipt_text(text: &str, id: &str, dlvrd: &str, stat: &str, err: &str, sample: &str) {
    let head = format!("id:{id} sub:001 dlvrd:{dlvrd} submit date:");
    let rest = text
        .strip_prefix(&head)
        .unwrap_or_else(|| panic!("{text:?} does not start with {head:?}"));
    let is_date = |s: &str| s.len() == 10 && s.bytes().all(|b| b.is_ascii_digit());
    let (submitted, rest) = rest.split_at(10.min(rest.len()));
    assert!(is_date(submitted), "submit date in {text:?}");
    let rest = rest
        .strip_prefix(" done date:")
        .unwrap_or_else(|| panic!("no done date in {text:?}"));
    let (done, rest) = rest.split_at(10.min(rest.len()));
    assert!(is_date(done), "done date in {text:?}");
    assert_eq!(rest, format!(" stat:{stat} err:{err} text:{sample}"));
}

/// Waits until `condition` holds (the SMSC counts a receipt as it queues it, just before the client sees it).
pub async fn eventually(what: &str, condition: impl Fn() -> bool) {
    let started = tokio::time::Instant::now();
    while !condition() {
        assert!(started.elapsed() < WAIT, "never happened: {what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// An SMSC on an ephemeral port with its statistics.
pub struct Sim {
    pub smsc: Smsc,
    pub stats: Arc<Stats>,
}

/// Starts an SMSC with `config`.
pub async fn start(config: SimConfig) -> Sim {
    let stats = Arc::new(Stats::default());
    let smsc = Smsc::start(
        "127.0.0.1:0".parse().expect("addr"),
        Arc::new(config),
        stats.clone(),
    )
    .await
    .expect("start the SMSC");
    Sim { smsc, stats }
}

impl Sim {
    /// A client bound as `kind` with system_id `esme`.
    pub async fn bound(&self, kind: Bind) -> Client {
        let mut client = Client::connect(self.smsc.local_addr()).await;
        assert_eq!(
            client.bind(kind, "esme", "secret").await,
            CommandStatus::EsmeRok
        );
        client
    }

    /// The `smpp` interface counters.
    pub fn smpp(&self) -> canvass_simulator::InterfaceCounters {
        self.stats
            .snapshot()
            .by_interface
            .get("smpp")
            .cloned()
            .unwrap_or_default()
    }
}
