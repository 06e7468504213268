//! Every simulator personality ends in a terminal state: a campaign over numbers of each kind (happy, throttling,
//! blackhole, nack, unbind-on-submit, no-response, slow, receipt loss, landline, not RCS-capable), sent RCS → MMS
//! → SMS through the real connectors to the in-process simulator, with short retries and receipt timeouts.

mod support;

use canvass_campaigns::lifecycle::CampaignState;
use canvass_campaigns::ports::CampaignStore;
use canvass_dispatch::retry::{Jitter, RetryPolicy};
use canvass_dispatch::worker::DispatchConfig;
use canvass_types::Personality;
use std::collections::BTreeMap;
use std::time::Duration;

/// Numbers per personality.
const EACH: u32 = 3;

const CAMPAIGN: &str = r#"{
  "channels": ["rcs", "mms", "sms"],
  "sender": "+12025550100",
  "variants": [{"name": "default", "text": "Hi {{ first_name|default('friend') }}, polls open at 7am."}]
}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_personality_ends_in_a_terminal_state() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = support::open_app(dir.path()).await;

    let mut csv = String::from("phone,first_name,zip\n");
    let mut expected: BTreeMap<String, Personality> = BTreeMap::new();
    for (p, personality) in Personality::ALL.iter().enumerate() {
        for d in 0..EACH {
            let number = personality.number(d);
            csv.push_str(&format!("{number},Voter{p}{d},20001\n"));
            expected.insert(number, *personality);
        }
    }
    support::import(&app, csv).await;

    let (sim, routes) = support::simulator().await;

    let config = DispatchConfig {
        owner: "personalities".into(),
        lease: Duration::from_secs(30),
        receipt_timeout: Duration::from_secs(3),
        retry: RetryPolicy {
            base: Duration::from_millis(100),
            max_delay: Duration::from_millis(400),
            max_attempts: 3,
            jitter: Jitter::None,
        },
        ..DispatchConfig::default()
    };
    let campaign = support::send_campaign(
        &app,
        "personalities",
        CAMPAIGN,
        routes,
        config,
        Duration::from_secs(120),
    )
    .await;

    let counts = app
        .store
        .message_counts_by_status(campaign)
        .await
        .expect("counts");
    let total: i64 = counts.iter().map(|(_, n)| n).sum();
    assert_eq!(
        total as usize,
        expected.len(),
        "one message per number: {counts:?}"
    );
    for (status, n) in &counts {
        assert!(
            matches!(
                status.as_str(),
                "delivered" | "undelivered" | "failed" | "expired" | "suppressed"
            ),
            "{n} messages left {status}: {counts:?}"
        );
    }
    let state = app
        .store
        .campaign(campaign)
        .await
        .expect("read")
        .expect("exists")
        .state;
    assert_eq!(state, CampaignState::Completed, "{counts:?}");

    // What each personality must end as, where the personality decides it.
    let outcomes = app
        .store
        .message_outcomes(campaign)
        .await
        .expect("outcomes");
    for (phone, status, channel) in outcomes {
        let personality = expected[&phone];
        let want = match personality {
            Personality::Happy | Personality::Throttling | Personality::Slow => Some("delivered"),
            Personality::NotRcsCapable => Some("delivered"),
            Personality::Landline => Some("undelivered"),
            Personality::Nack => Some("failed"),
            Personality::Blackhole | Personality::ReceiptLoss => Some("expired"),
            Personality::UnbindOnSubmit | Personality::NoResponse => None,
        };
        if let Some(want) = want {
            assert_eq!(status, want, "{phone} ({personality:?}) on {channel:?}");
        }
        if personality == Personality::NotRcsCapable {
            assert_eq!(
                channel.as_deref(),
                Some("mms"),
                "{phone}: RCS refused, MMS carries it"
            );
        }
    }
    drop(sim);
}
