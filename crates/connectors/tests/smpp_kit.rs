//! The conformance kit against the simulator's SMSC, over our SMPP connector: a transceiver route with UDH
//! concatenation, and a transmitter + receiver route with SAR concatenation against an SMSC that answers hex ids
//! and quotes them in decimal in its receipts.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use canvass_connectors::{
    OutboundMessage,
    kit::{self, Case, KitOptions, SimulatorProbe},
    smpp::{self, BindMode, Concatenation, SmppConfig},
};
use canvass_simulator::{SimConfig, Stats, smsc::Smsc};
use futures::{FutureExt, future::BoxFuture};

struct SmscProbe {
    smsc: Smsc,
    stats: Arc<Stats>,
}

impl SimulatorProbe for SmscProbe {
    fn accepted_for<'a>(&'a self, to: &'a str) -> BoxFuture<'a, u64> {
        async move { self.stats.accepted_for(to) }.boxed()
    }

    fn send_inbound<'a>(
        &'a self,
        from: &'a str,
        to: &'a str,
        text: &'a str,
    ) -> BoxFuture<'a, Result<(), String>> {
        async move { self.smsc.send_mo(from, to, text).map_err(|e| e.to_string()) }.boxed()
    }
}

/// The SMSC counts segments; a message of `segments` segments counts once when all of them were accepted.
struct SegmentedProbe<'a> {
    inner: &'a SmscProbe,
    segments: u64,
}

impl SimulatorProbe for SegmentedProbe<'_> {
    fn accepted_for<'a>(&'a self, to: &'a str) -> BoxFuture<'a, u64> {
        async move {
            let segments = self.inner.stats.accepted_for(to);
            // A partial message is a failure the kit must see: report an impossible count.
            if segments.is_multiple_of(self.segments) {
                segments / self.segments
            } else {
                u64::MAX
            }
        }
        .boxed()
    }

    fn send_inbound<'a>(
        &'a self,
        from: &'a str,
        to: &'a str,
        text: &'a str,
    ) -> BoxFuture<'a, Result<(), String>> {
        self.inner.send_inbound(from, to, text)
    }
}

async fn smsc(config: SimConfig) -> SmscProbe {
    let stats = Arc::new(Stats::default());
    let smsc = Smsc::start(
        SocketAddr::from(([127, 0, 0, 1], 0)),
        Arc::new(config),
        stats.clone(),
    )
    .await
    .expect("the simulator's SMSC starts");
    SmscProbe { smsc, stats }
}

fn route(addr: SocketAddr) -> SmppConfig {
    let mut config = SmppConfig::new("kit", addr.to_string(), "kit", "secret");
    // Longer than the simulator's slow latency (300 ms in tests), short enough that no-response fails fast.
    config.response_timeout = Duration::from_secs(1);
    config.reconnect = canvass_connectors::backoff::Backoff::new(
        Duration::from_millis(20),
        Duration::from_millis(200),
    );
    config.throttle_pause = Duration::from_millis(50);
    config
}

fn options(offset: u32, long: bool) -> KitOptions {
    KitOptions {
        message: Arc::new(move |id: &str, to: &str| {
            // A long text makes every case a concatenated message: each segment must be accepted, and the
            // receipt of the first names the message.
            let body = if long {
                format!(
                    "{id}: {}",
                    "Long messages are split and put back together. ".repeat(4)
                )
            } else {
                id.to_owned()
            };
            OutboundMessage::text(id, "+12025550100", to, body)
        }),
        our_number: "+12025550100".into(),
        event_timeout: Duration::from_secs(5),
        cases: Case::MESSAGING.to_vec(),
        number_offset: offset,
    }
}

#[tokio::test]
async fn the_kit_passes_over_a_transceiver_route() {
    let probe = smsc(SimConfig::ephemeral()).await;
    let built = smpp::build(route(probe.smsc.local_addr()))
        .await
        .expect("the route binds");
    kit::run(built, &probe, options(0, false))
        .await
        .assert_passed();
}

#[tokio::test]
async fn the_kit_passes_over_transmitter_and_receiver_binds_with_sar_and_hex_ids() {
    let probe = smsc(SimConfig {
        hex_ids: true,
        ..SimConfig::ephemeral()
    })
    .await;
    let mut config = route(probe.smsc.local_addr());
    config.bind = BindMode::Transmitter;
    config.binds = 2;
    config.concatenation = Concatenation::Sar;
    let built = smpp::build(config).await.expect("the route binds");
    kit::run(built, &probe, options(1000, false))
        .await
        .assert_passed();
}

#[tokio::test]
async fn the_kit_passes_with_concatenated_messages() {
    let probe = smsc(SimConfig::ephemeral()).await;
    let built = smpp::build(route(probe.smsc.local_addr()))
        .await
        .expect("the route binds");
    // Every kit message is two segments long (its id, then 4 × 47 characters of GSM-7: 150 < n ≤ 306).
    let segmented = SegmentedProbe {
        inner: &probe,
        segments: 2,
    };
    kit::run(built, &segmented, options(2000, true))
        .await
        .assert_passed();
}

/// A session dropped with a full window: the caller retries what came back as temporary, as dispatch does. The
/// SMSC may have taken some of those before the drop, so a retry can duplicate them, but never more than the
/// window that was in flight, and every message ends up accepted.
#[tokio::test]
async fn a_dropped_session_duplicates_at_most_one_window() {
    use canvass_connectors::SubmitOutcome;
    use canvass_types::Personality;

    let probe = smsc(SimConfig::ephemeral()).await;
    let mut config = route(probe.smsc.local_addr());
    config.window = 10;
    let window = config.window as u64;
    let connector = smpp::build(config)
        .await
        .expect("the route binds")
        .connector;
    let messages: Vec<OutboundMessage> = (0..40)
        .map(|n| {
            // The 15th message makes the SMSC drop the session while others are in flight.
            let personality = if n == 15 {
                Personality::UnbindOnSubmit
            } else {
                Personality::Happy
            };
            let to = personality.number(5000 + n);
            OutboundMessage::text(
                format!("drop-{n}"),
                "+12025550100",
                to,
                format!("drop test {n}"),
            )
        })
        .collect();
    let sends = messages.iter().map(|message| {
        let connector = connector.clone();
        async move {
            for _ in 0..50 {
                match connector.submit(message).await {
                    SubmitOutcome::Accepted { .. } => return true,
                    SubmitOutcome::TemporaryFailure { .. } | SubmitOutcome::Throttled { .. } => {
                        if Personality::of(&message.to) == Personality::UnbindOnSubmit {
                            return false;
                        }
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    SubmitOutcome::PermanentFailure { code, reason } => {
                        panic!("{}: {code} {reason}", message.id)
                    }
                }
            }
            false
        }
    });
    let accepted = futures::future::join_all(sends).await;
    for (message, accepted) in messages.iter().zip(&accepted) {
        let expected = Personality::of(&message.to) == Personality::Happy;
        assert_eq!(*accepted, expected, "{}", message.id);
        if expected {
            assert!(
                probe.stats.accepted_for(&message.to) >= 1,
                "{} was never counted",
                message.id
            );
        }
    }
    let duplicates = probe.stats.snapshot().duplicates;
    assert!(
        duplicates <= window,
        "{duplicates} duplicates, more than a window of {window}"
    );
}
