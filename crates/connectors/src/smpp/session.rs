//! One bind: open the TCP session, bind, answer what the SMSC sends, and when the session drops, bind again
//! after an exponential backoff with jitter. Submits find the current client in the bind's slot.

use std::{
    pin::Pin,
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use futures::{Stream, StreamExt, stream::FuturesUnordered};
use rusmpp::{CommandStatus, Pdu, pdus::DeliverSmResp};
use rusmppc::{Client, ConnectionBuilder, Event, error::Error};
use tokio::{
    net::TcpStream,
    sync::{Notify, Semaphore, mpsc, watch},
    time::Instant,
};

use super::{
    config::{BindMode, SmppConfig},
    deliver,
    inbound::Reassembly,
    outstanding::Outstanding,
    pdu::Credentials,
    status,
};
use crate::{EventSender, Settled, Settlement};

type SessionEvents = Pin<Box<dyn Stream<Item = Event> + Send>>;

/// Where a bind stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BindState {
    /// Not tried yet.
    Connecting,
    /// Bound.
    Up,
    /// The SMSC refused our credentials.
    Refused(String),
    /// Unreachable, or the session dropped; a reconnect is pending.
    Down(String),
}

/// One bind's current session and its window.
pub struct BindSlot {
    /// What it binds as.
    pub mode: BindMode,
    client: Mutex<Option<Client>>,
    /// Submits awaiting their response on this bind.
    pub window: Arc<Semaphore>,
    paused_until: Mutex<Option<Instant>>,
    probing: Arc<AtomicBool>,
    /// Where it stands.
    pub state: watch::Sender<BindState>,
}

/// Everything the binds and the connector share.
pub struct Shared {
    /// The route's settings.
    pub config: SmppConfig,
    /// Checked credentials.
    pub credentials: Credentials,
    /// Where receipts and MO messages go.
    pub events: EventSender,
    /// Ids returned in `Accepted`, for matching receipts.
    pub outstanding: Mutex<Outstanding>,
    /// MO parts awaiting their siblings.
    pub reassembly: Mutex<Reassembly>,
    /// The binds.
    pub slots: Vec<Arc<BindSlot>>,
    /// Woken whenever a bind comes up.
    pub bound: Notify,
    /// Set once at shutdown.
    pub shutdown: watch::Sender<bool>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl BindSlot {
    /// A slot that has not connected yet.
    pub fn new(mode: BindMode, window: usize) -> Self {
        Self {
            mode,
            client: Mutex::new(None),
            window: Arc::new(Semaphore::new(window)),
            paused_until: Mutex::new(None),
            probing: Arc::new(AtomicBool::new(false)),
            state: watch::channel(BindState::Connecting).0,
        }
    }

    /// Whether this bind takes submits.
    pub fn submits(&self) -> bool {
        self.mode != BindMode::Receiver
    }

    /// The client, while bound.
    pub fn client(&self) -> Option<Client> {
        lock(&self.client)
            .clone()
            .filter(|client| !client.is_closed())
    }

    /// Rests the bind after the SMSC throttled us.
    pub fn pause(&self, pause: Duration) {
        *lock(&self.paused_until) = Some(Instant::now() + pause);
    }

    /// How much longer the bind rests, if it does.
    pub fn paused_for(&self) -> Option<Duration> {
        let until = (*lock(&self.paused_until))?;
        let left = until.saturating_duration_since(Instant::now());
        (!left.is_zero()).then_some(left)
    }

    /// After a submit timed out: asks the SMSC for an enquire_link_resp at once, and closes the session when
    /// none comes, so that a half-open connection is replaced now rather than at the next enquire_link tick.
    /// One probe at a time per bind.
    pub fn probe(&self, client: Client) {
        if self.probing.swap(true, Ordering::AcqRel) {
            return;
        }
        let flag = self.probing.clone();
        tokio::spawn(async move {
            if client.enquire_link().await.is_err() {
                tracing::warn!(
                    "no enquire_link_resp after a submit timed out: closing the session"
                );
                let _ = client.close().await;
            }
            flag.store(false, Ordering::Release);
        });
    }

    fn set(&self, client: Option<Client>, state: BindState) {
        *lock(&self.client) = client;
        self.state.send_replace(state);
    }
}

/// How a bind attempt failed.
enum BindFailure {
    Refused(String),
    Unreachable(String),
}

async fn open(shared: &Shared, mode: BindMode) -> Result<(Client, SessionEvents), BindFailure> {
    let config = &shared.config;
    let stream = tokio::time::timeout(config.response_timeout, TcpStream::connect(&config.addr))
        .await
        .map_err(|_| BindFailure::Unreachable("connect timed out".into()))?
        .map_err(|e| BindFailure::Unreachable(e.to_string()))?;
    stream
        .set_nodelay(true)
        .map_err(|e| BindFailure::Unreachable(e.to_string()))?;
    let (client, events) = ConnectionBuilder::new()
        .max_command_length(config.max_command_length)
        .enquire_link_interval(config.enquire_link_interval)
        .enquire_link_response_timeout(config.response_timeout)
        .response_timeout(config.response_timeout)
        .disable_interface_version_check()
        .connected(stream);
    let credentials = &shared.credentials;
    let bound = match mode {
        BindMode::Transmitter => client
            .bind_transmitter(credentials.transmitter())
            .await
            .map(drop),
        BindMode::Receiver => client.bind_receiver(credentials.receiver()).await.map(drop),
        BindMode::Transceiver => client
            .bind_transceiver(credentials.transceiver())
            .await
            .map(drop),
    };
    match bound {
        Ok(()) => Ok((client, Box::pin(events))),
        Err(error) => {
            let _ = client.close().await;
            Err(match error {
                Error::UnexpectedResponse { response } => {
                    let code = u32::from(response.status());
                    let reason = format!("bind answered {}", status::code(code));
                    if [status::RINVPASWD, status::RINVSYSID, status::RBINDFAIL].contains(&code) {
                        BindFailure::Refused(reason)
                    } else {
                        BindFailure::Unreachable(reason)
                    }
                }
                other => BindFailure::Unreachable(other.to_string()),
            })
        }
    }
}

/// Keeps one bind up until shutdown.
pub async fn run(shared: Arc<Shared>, slot: Arc<BindSlot>) {
    let mut backoff = shared.config.reconnect.clone();
    let mut shutdown = shared.shutdown.subscribe();
    loop {
        if *shutdown.borrow() {
            break;
        }
        let opened = tokio::select! {
            opened = open(&shared, slot.mode) => opened,
            _ = shutdown.changed() => break,
        };
        match opened {
            Ok((client, events)) => {
                backoff.reset();
                slot.set(Some(client.clone()), BindState::Up);
                shared.bound.notify_waiters();
                tracing::info!(route = %shared.config.name, mode = ?slot.mode, "bound");
                let why = drive(&shared, &client, events, &mut shutdown).await;
                slot.set(None, BindState::Down(why.clone()));
                // Only a session the carrier ended is news; one we closed on shutdown is not.
                if *shutdown.borrow() {
                    tracing::info!(route = %shared.config.name, mode = ?slot.mode, why, "session closed");
                } else {
                    tracing::warn!(route = %shared.config.name, mode = ?slot.mode, why, "session ended");
                }
            }
            Err(BindFailure::Refused(reason)) => {
                tracing::warn!(route = %shared.config.name, reason, "bind refused");
                slot.set(None, BindState::Refused(reason));
            }
            Err(BindFailure::Unreachable(reason)) => {
                tracing::warn!(route = %shared.config.name, reason, "bind failed");
                slot.set(None, BindState::Down(reason));
            }
        }
        if *shutdown.borrow() {
            break;
        }
        tokio::select! {
            _ = tokio::time::sleep(backoff.next_delay()) => {}
            _ = shutdown.changed() => break,
        }
    }
    slot.set(None, BindState::Down("shut down".into()));
}

/// Answers the SMSC until the session ends; returns why it ended.
async fn drive(
    shared: &Arc<Shared>,
    client: &Client,
    mut events: SessionEvents,
    shutdown: &mut watch::Receiver<bool>,
) -> String {
    let mut last_error = String::from("closed by the peer");
    let (later, settling) = mpsc::unbounded_channel();
    tokio::spawn(answer_when_settled(settling));
    loop {
        tokio::select! {
            event = events.next() => match event {
                None => return last_error,
                Some(Event::Incoming(command)) => {
                    let sequence = command.sequence_number();
                    match command.pdu() {
                        Some(Pdu::DeliverSm(pdu)) => {
                            let answer = Answer { client: client.clone(), sequence, later: later.clone() };
                            deliver_event(shared, answer, pdu).await;
                        }
                        Some(Pdu::Unbind) => {
                            let _ = client.unbind_resp(sequence).await;
                            let _ = client.close().await;
                            last_error = "unbound by the peer".into();
                        }
                        Some(Pdu::AlertNotification(_)) => {}
                        _ if command.id().is_response() => {}
                        _ => {
                            let _ = client
                                .status(CommandStatus::EsmeRinvcmdid)
                                .generic_nack(sequence)
                                .await;
                        }
                    }
                }
                Some(Event::Error(error)) => last_error = error.to_string(),
            },
            _ = shutdown.changed() => {
                let _ = tokio::time::timeout(shared.config.response_timeout, client.unbind()).await;
                let _ = client.close().await;
                return "shut down".into();
            }
        }
    }
}

/// Where a deliver_sm's answer goes once its event is settled.
struct Answer {
    client: Client,
    sequence: u32,
    /// The session's queue of answers that wait for their settlement.
    later: mpsc::UnboundedSender<(Answer, Settlement)>,
}

impl Answer {
    /// Answers once the consumer has settled the event. If the session is gone by then, nothing is answered
    /// and the SMSC sends the deliver_sm again.
    fn when_settled(self, settlement: Settlement) {
        let later = self.later.clone();
        let _ = later.send((self, settlement));
    }

    /// `ESME_ROK` when the event was kept; else `ESME_RX_T_APPDN`, the temporary application error that makes the
    /// SMSC send it again later.
    async fn send(self, settled: Settled) {
        let status = match settled {
            Settled::Kept => CommandStatus::EsmeRok,
            Settled::NotKept => CommandStatus::EsmeRxTAppn,
        };
        let _ = self
            .client
            .status(status)
            .deliver_sm_resp(self.sequence, DeliverSmResp::default())
            .await;
    }
}

async fn deliver_event(shared: &Arc<Shared>, answer: Answer, pdu: &rusmpp::pdus::DeliverSm) {
    let delivered = deliver::read(pdu, &mut lock(&shared.reassembly));
    if let deliver::Delivered::Receipt(receipt) = &delivered
        && lock(&shared.outstanding)
            .lookup(&receipt.carrier_id)
            .is_none()
        && shared
            .slots
            .iter()
            .any(|s| s.window.available_permits() < shared.config.window)
    {
        // A receipt can overtake the submit task that is still recording its id: give it a moment, off the
        // session's read loop, so that the bind keeps answering the SMSC meanwhile.
        let shared = shared.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            emit(&shared, answer, delivered).await;
        });
        return;
    }
    emit(shared, answer, delivered).await;
}

/// Hands the event over, and answers the SMSC once the consumer has stored it (off the read loop: storing takes
/// a batch's commit, and the session must keep reading submit responses meanwhile).
async fn emit(shared: &Shared, answer: Answer, delivered: deliver::Delivered) {
    let event = deliver::event(
        delivered,
        &mut lock(&shared.outstanding),
        &shared.config.name,
    );
    let Some(event) = event else {
        // One part of a longer MO message, held until its siblings arrive.
        answer.send(Settled::Kept).await;
        return;
    };
    match shared.events.send_tracked(event).await {
        Ok(settlement) => answer.when_settled(settlement),
        Err(_) => answer.send(Settled::NotKept).await,
    }
}

/// Sends each deliver_sm_resp as its event is settled, one at a time.
///
/// One at a time, because rusmppc 0.4's connection task takes at most five requests from its queue per wake-up
/// and is woken again only by the socket or a timer: a burst of answers (a batch of 1,024 receipts committed at
/// once) left most of them, and the submits queued behind them, waiting for traffic that never came. Answers that
/// each wait for their write keep the queue short; submits keep it moving because their responses wake it.
async fn answer_when_settled(mut settling: mpsc::UnboundedReceiver<(Answer, Settlement)>) {
    let mut waiting = FuturesUnordered::new();
    loop {
        tokio::select! {
            next = settling.recv() => match next {
                Some((answer, settlement)) => {
                    waiting.push(async move { (answer, settlement.wait().await) });
                }
                None => break,
            },
            Some((answer, settled)) = waiting.next(), if !waiting.is_empty() => answer.send(settled).await,
        }
    }
    // The session's read loop is gone; answers settled from now on still go out while the client is open.
    while let Some((answer, settled)) = waiting.next().await {
        answer.send(settled).await;
    }
}
