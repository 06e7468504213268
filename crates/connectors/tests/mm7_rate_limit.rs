//! The simulator MMSC's `rate_limit` counted per credentials, as the connector meets it: its submits go out
//! at once over many connections, past the limit some come back `Throttled` and every other is accepted.

mod mm7_support;

use canvass_connectors::SubmitOutcome;
use canvass_simulator::SimConfig;
use futures::future::join_all;
use mm7_support::{config, connect, mms, mmsc};

const LIMIT: u32 = 3;

#[tokio::test]
async fn submits_past_the_rate_limit_of_our_credentials_are_throttled() {
    let mmsc = mmsc(SimConfig {
        credentials: Some(("vasp".into(), "pw".into())),
        rate_limit: LIMIT,
        ..SimConfig::ephemeral()
    })
    .await;
    let built = connect(&mmsc, config(&mmsc.url()).with_credentials("vasp", "pw")).await;
    let messages: Vec<_> = (0..LIMIT + 5)
        .map(|n| mms(&format!("rate-{n}"), &format!("+1202555{:04}", 600 + n)))
        .collect();
    let outcomes = join_all(messages.iter().map(|m| built.connector.submit(m))).await;

    let throttled = outcomes
        .iter()
        .filter(|o| matches!(o, SubmitOutcome::Throttled { .. }))
        .count();
    assert!(throttled >= 1, "{outcomes:?}");
    for outcome in &outcomes {
        assert!(
            outcome.is_accepted() || matches!(outcome, SubmitOutcome::Throttled { .. }),
            "{outcome:?}"
        );
    }
    let accepted = outcomes.len() - throttled;
    assert_eq!(mmsc.stats().snapshot().accepted_total, accepted as u64);
}
