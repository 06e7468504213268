//! The conformance kit: the same cases, run against every adapter and every simulator personality. A test
//! builds a connector pointed at the simulator, hands it to [`run`] with a [`SimulatorProbe`] that reads the
//! simulator's statistics, and asserts the report passed.

use std::{collections::HashSet, fmt, sync::Arc, time::Duration};

use canvass_types::Personality;
use futures::{StreamExt, future::BoxFuture};
use tokio::sync::{Mutex, Notify};

use crate::{
    Built, Connector, ConnectorEvent, DeliveryState, OutboundMessage, Receipt, SubmitOutcome,
};

/// What the kit needs from the carrier side: its counters, and a way to make a handset send us a message.
pub trait SimulatorProbe: Send + Sync {
    /// Accepted submits the carrier counted for recipient `to`.
    fn accepted_for<'a>(&'a self, to: &'a str) -> BoxFuture<'a, u64>;
    /// Makes handset `from` send `text` to our number `to`.
    fn send_inbound<'a>(
        &'a self,
        from: &'a str,
        to: &'a str,
        text: &'a str,
    ) -> BoxFuture<'a, Result<(), String>>;
}

/// One conformance case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Case {
    /// Accepted, receipt DELIVERED matched to the returned id, counted once.
    Happy,
    /// Permanent failure with the carrier's code, nothing counted.
    Nack,
    /// Throttled first, accepted on retry, counted once.
    Throttling,
    /// Accepted, never a receipt.
    Blackhole,
    /// Accepted, receipt lost.
    ReceiptLoss,
    /// Refused for good, at submit or by an undeliverable receipt with a code.
    Landline,
    /// Accepted after the carrier's delay, then delivered.
    Slow,
    /// The session drops on submit: not accepted, not counted, and the next message goes through.
    UnbindOnSubmit,
    /// No answer: a temporary failure, not counted, and the next message goes through.
    NoResponse,
    /// RCS only: a permanent `not_rcs_capable` failure so that dispatch falls back.
    NotRcsCapable,
    /// A handset's message arrives on the event stream.
    Inbound,
    /// Fifty messages at once: all accepted, all receipts matched, each counted once.
    Burst,
}

impl Case {
    /// Every case for a connector that delivers SMS or MMS.
    pub const MESSAGING: [Case; 11] = [
        Case::Happy,
        Case::Nack,
        Case::Throttling,
        Case::Blackhole,
        Case::ReceiptLoss,
        Case::Landline,
        Case::Slow,
        Case::UnbindOnSubmit,
        Case::NoResponse,
        Case::Inbound,
        Case::Burst,
    ];
}

/// How to drive one adapter.
#[derive(Clone)]
pub struct KitOptions {
    /// Makes the message for a case, given our id and the recipient.
    #[allow(clippy::type_complexity)] // a plain closure type; an alias would only hide it
    pub message: Arc<dyn Fn(&str, &str) -> OutboundMessage + Send + Sync>,
    /// Our number, for inbound messages.
    pub our_number: String,
    /// How long to wait for a receipt or an inbound message.
    pub event_timeout: Duration,
    /// The cases that apply to this adapter.
    pub cases: Vec<Case>,
    /// Offsets the generated numbers, so that two kit runs against one simulator never share a recipient.
    pub number_offset: u32,
}

impl fmt::Debug for KitOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KitOptions")
            .field("cases", &self.cases)
            .finish_non_exhaustive()
    }
}

/// The result of one case.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// Which case.
    pub case: Case,
    /// `None` when it passed; otherwise what went wrong.
    pub failure: Option<String>,
}

/// The results of a kit run.
#[derive(Debug, Clone, Default)]
pub struct KitReport {
    /// One result per case, in the order run.
    pub results: Vec<CaseResult>,
}

impl KitReport {
    /// Panics, listing every failed case, unless all passed. For tests.
    pub fn assert_passed(&self) {
        let failures: Vec<String> = self
            .results
            .iter()
            .filter_map(|r| r.failure.as_ref().map(|f| format!("{:?}: {f}", r.case)))
            .collect();
        assert!(
            failures.is_empty(),
            "conformance failures:\n{}",
            failures.join("\n")
        );
        assert!(!self.results.is_empty(), "the kit ran no case");
    }
}

/// Everything the connector reported, shared between the collector task and the cases.
#[derive(Default)]
struct EventLog {
    events: Mutex<Vec<ConnectorEvent>>,
    arrived: Notify,
}

impl EventLog {
    async fn wait_for<T>(
        &self,
        timeout: Duration,
        mut pick: impl FnMut(&ConnectorEvent) -> Option<T>,
    ) -> Option<T> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.arrived.notified();
            if let Some(found) = self.events.lock().await.iter().find_map(&mut pick) {
                return Some(found);
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return None;
            }
        }
    }

    async fn receipts_for(&self, ids: &[String]) -> Vec<Receipt> {
        self.events
            .lock()
            .await
            .iter()
            .filter_map(|event| match event {
                ConnectorEvent::Receipt(r) if ids.contains(&r.carrier_id) => Some(r.clone()),
                _ => None,
            })
            .collect()
    }
}

struct Runner<'a> {
    connector: Arc<dyn Connector>,
    probe: &'a dyn SimulatorProbe,
    options: KitOptions,
    log: Arc<EventLog>,
    serial: u32,
}

type CaseOutcome = Result<(), String>;

/// Runs the chosen cases one after another and reports each.
pub async fn run(built: Built, probe: &dyn SimulatorProbe, options: KitOptions) -> KitReport {
    let log = Arc::new(EventLog::default());
    let collector = {
        let log = log.clone();
        let mut events = built.events;
        tokio::spawn(async move {
            while let Some(event) = events.next().await {
                log.events.lock().await.push(event);
                log.arrived.notify_waiters();
            }
        })
    };
    let mut runner = Runner {
        connector: built.connector,
        probe,
        options: options.clone(),
        log,
        serial: 0,
    };
    let mut report = KitReport::default();
    for case in options.cases {
        let failure = runner.run_case(case).await.err();
        report.results.push(CaseResult { case, failure });
    }
    runner.connector.shutdown().await;
    collector.abort();
    report
}

impl Runner<'_> {
    fn next(&mut self, personality: Personality) -> OutboundMessage {
        self.serial += 1;
        let to = personality.number(self.options.number_offset + self.serial);
        let id = format!(
            "kit-{}-{}-{}",
            personality.name(),
            self.options.number_offset,
            self.serial
        );
        (self.options.message)(&id, &to)
    }

    async fn run_case(&mut self, case: Case) -> CaseOutcome {
        match case {
            Case::Happy => self.delivered(Personality::Happy).await,
            Case::Slow => self.delivered(Personality::Slow).await,
            Case::Nack => self.refused(Personality::Nack).await,
            Case::NotRcsCapable => self.not_rcs_capable().await,
            Case::Throttling => self.throttled_then_accepted().await,
            Case::Blackhole => self.silent(Personality::Blackhole).await,
            Case::ReceiptLoss => self.silent(Personality::ReceiptLoss).await,
            Case::Landline => self.landline().await,
            Case::UnbindOnSubmit => self.lost_then_recovers(Personality::UnbindOnSubmit).await,
            Case::NoResponse => self.lost_then_recovers(Personality::NoResponse).await,
            Case::Inbound => self.inbound().await,
            Case::Burst => self.burst(50).await,
        }
    }

    async fn accepted(&self, message: &OutboundMessage) -> Result<Vec<String>, String> {
        match self.connector.submit(message).await {
            SubmitOutcome::Accepted { carrier_ids } if !carrier_ids.is_empty() => Ok(carrier_ids),
            other => Err(format!(
                "{} to {}: expected accepted, got {other:?}",
                message.id, message.to
            )),
        }
    }

    async fn counted(&self, message: &OutboundMessage, expected: u64) -> CaseOutcome {
        let count = self.probe.accepted_for(&message.to).await;
        if count == expected {
            Ok(())
        } else {
            Err(format!(
                "{}: the carrier counted {count} accepted submits to {}, expected {expected}",
                message.id, message.to
            ))
        }
    }

    async fn receipt(&self, ids: &[String]) -> Option<Receipt> {
        self.log
            .wait_for(self.options.event_timeout, |event| match event {
                ConnectorEvent::Receipt(r) if ids.contains(&r.carrier_id) && r.state.is_final() => {
                    Some(r.clone())
                }
                _ => None,
            })
            .await
    }

    async fn delivered(&mut self, personality: Personality) -> CaseOutcome {
        let message = self.next(personality);
        let ids = self.accepted(&message).await?;
        match self.receipt(&ids).await {
            Some(r) if r.state == DeliveryState::Delivered => {}
            Some(r) => {
                return Err(format!(
                    "{}: receipt {:?}, expected delivered",
                    message.id, r.state
                ));
            }
            None => return Err(format!("{}: no receipt for {ids:?}", message.id)),
        }
        self.counted(&message, 1).await
    }

    async fn refused(&mut self, personality: Personality) -> CaseOutcome {
        let message = self.next(personality);
        match self.connector.submit(&message).await {
            SubmitOutcome::PermanentFailure { code, .. } if !code.is_empty() => {
                self.counted(&message, 0).await
            }
            other => Err(format!(
                "{}: expected a permanent failure with a code, got {other:?}",
                message.id
            )),
        }
    }

    async fn not_rcs_capable(&mut self) -> CaseOutcome {
        let message = self.next(Personality::NotRcsCapable);
        match self.connector.submit(&message).await {
            SubmitOutcome::PermanentFailure { code, .. } if code == "not_rcs_capable" => {
                self.counted(&message, 0).await
            }
            other => Err(format!(
                "{}: expected PermanentFailure(not_rcs_capable), got {other:?}",
                message.id
            )),
        }
    }

    async fn throttled_then_accepted(&mut self) -> CaseOutcome {
        let message = self.next(Personality::Throttling);
        let mut throttled = 0;
        for _ in 0..5 {
            match self.connector.submit(&message).await {
                SubmitOutcome::Throttled { retry_after } => {
                    throttled += 1;
                    let pause = retry_after
                        .unwrap_or(Duration::from_millis(50))
                        .min(Duration::from_secs(1));
                    tokio::time::sleep(pause).await;
                }
                SubmitOutcome::Accepted { .. } if throttled > 0 => {
                    return self.counted(&message, 1).await;
                }
                other => {
                    return Err(format!(
                        "{}: after {throttled} throttled answers got {other:?}",
                        message.id
                    ));
                }
            }
        }
        Err(format!("{}: still throttled after 5 tries", message.id))
    }

    /// Accepted and counted, but no receipt: checked after a happy message sent later has had its receipt.
    async fn silent(&mut self, personality: Personality) -> CaseOutcome {
        let message = self.next(personality);
        let ids = self.accepted(&message).await?;
        self.delivered(Personality::Happy).await?;
        let stray = self.log.receipts_for(&ids).await;
        if !stray.is_empty() {
            return Err(format!(
                "{}: expected no receipt, got {stray:?}",
                message.id
            ));
        }
        self.counted(&message, 1).await
    }

    async fn landline(&mut self) -> CaseOutcome {
        let message = self.next(Personality::Landline);
        match self.connector.submit(&message).await {
            SubmitOutcome::PermanentFailure { code, .. } if !code.is_empty() => Ok(()),
            SubmitOutcome::Accepted { carrier_ids } => match self.receipt(&carrier_ids).await {
                Some(r) if r.state == DeliveryState::Undeliverable && r.error_code.is_some() => {
                    Ok(())
                }
                other => Err(format!(
                    "{}: expected an undeliverable receipt with a code, got {other:?}",
                    message.id
                )),
            },
            other => Err(format!(
                "{}: expected a permanent failure, got {other:?}",
                message.id
            )),
        }
    }

    /// The carrier drops or ignores the submit: the connector must say "not handed over", and recover.
    async fn lost_then_recovers(&mut self, personality: Personality) -> CaseOutcome {
        let message = self.next(personality);
        match self.connector.submit(&message).await {
            SubmitOutcome::TemporaryFailure { .. } | SubmitOutcome::Throttled { .. } => {}
            other => {
                return Err(format!(
                    "{}: expected a temporary failure, got {other:?}",
                    message.id
                ));
            }
        }
        self.counted(&message, 0).await?;
        // Reconnecting takes a backoff step or two; a message sent meanwhile may be refused as temporary.
        let follower = self.next(Personality::Happy);
        for _ in 0..50 {
            match self.connector.submit(&follower).await {
                SubmitOutcome::Accepted { .. } => return self.counted(&follower, 1).await,
                SubmitOutcome::TemporaryFailure { .. } | SubmitOutcome::Throttled { .. } => {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                other => return Err(format!("{}: after recovery got {other:?}", follower.id)),
            }
        }
        Err(format!("{}: the connector did not recover", follower.id))
    }

    async fn inbound(&mut self) -> CaseOutcome {
        self.serial += 1;
        let from = Personality::Happy.number(self.options.number_offset + self.serial);
        let text = format!("kit inbound {} {}", self.options.number_offset, self.serial);
        self.probe
            .send_inbound(&from, &self.options.our_number, &text)
            .await?;
        let found = self
            .log
            .wait_for(self.options.event_timeout, |event| match event {
                ConnectorEvent::Inbound(m) if m.text.as_deref() == Some(text.as_str()) => {
                    Some(m.clone())
                }
                _ => None,
            })
            .await;
        match found {
            Some(m) if m.from.trim_start_matches('+') == from.trim_start_matches('+') => Ok(()),
            Some(m) => Err(format!("inbound from {} arrived as from {}", from, m.from)),
            None => Err(format!("inbound {text:?} never arrived")),
        }
    }

    async fn burst(&mut self, count: usize) -> CaseOutcome {
        let messages: Vec<OutboundMessage> =
            (0..count).map(|_| self.next(Personality::Happy)).collect();
        let outcomes =
            futures::future::join_all(messages.iter().map(|m| self.connector.submit(m))).await;
        let mut all_ids = Vec::new();
        for (message, outcome) in messages.iter().zip(outcomes) {
            match outcome {
                SubmitOutcome::Accepted { carrier_ids } => all_ids.push(carrier_ids),
                other => return Err(format!("{}: {other:?}", message.id)),
            }
        }
        let distinct: HashSet<&String> = all_ids.iter().flatten().collect();
        if distinct.len() != all_ids.iter().map(Vec::len).sum::<usize>() {
            return Err("the carrier ids of a burst are not distinct".into());
        }
        for (message, ids) in messages.iter().zip(&all_ids) {
            match self.receipt(ids).await {
                Some(r) if r.state == DeliveryState::Delivered => {}
                other => return Err(format!("{}: receipt {other:?}", message.id)),
            }
            self.counted(message, 1).await?;
        }
        Ok(())
    }
}
