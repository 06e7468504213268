//! `SimConfig::rate_limit` on the MMSC: past the limit within a second a connection's submits are throttled
//! (503, Retry-After, MM7 ServiceUnavailable); below it every submit is accepted. No timing is asserted: the
//! submits go out back to back, far faster than the limit allows.

use std::{net::SocketAddr, sync::Arc};

use canvass_mm7::{Address, Body, Envelope, Namespace, StatusCode, SubmitReq};
use canvass_simulator::{SimConfig, Stats, mmsc::Mmsc};

const LIMIT: u32 = 3;

fn submit(n: u32) -> canvass_mm7::Encoded {
    let mut submit = SubmitReq::default();
    submit
        .recipients
        .to
        .push(Address::number(format!("+1202555{:04}", 500 + n)));
    let envelope = Envelope::new(
        format!("rate-{n}"),
        Namespace::Rel6(4),
        Body::SubmitReq(submit),
    );
    canvass_mm7::encode(&envelope).expect("encode")
}

/// Whether submit `n` was throttled (true) or accepted (false); anything else fails the test.
async fn throttled(client: &reqwest::Client, mmsc: &Mmsc, n: u32) -> bool {
    let encoded = submit(n);
    let response = client
        .post(mmsc.url())
        .header("content-type", encoded.content_type)
        .body(encoded.body)
        .send()
        .await
        .expect("the MMSC answers");
    let http = response.status().as_u16();
    let retry_after = response.headers().contains_key("retry-after");
    let body = response.bytes().await.expect("body");
    let answer = canvass_mm7::decode(&body).expect("an MM7 answer");
    match (http, answer.body) {
        (200, Body::SubmitRsp(rsp)) if rsp.status.code == StatusCode::Success => false,
        (503, Body::RsErrorRsp(error)) if error.status.code == StatusCode::ServiceUnavailable => {
            assert!(retry_after, "a throttled answer says when to retry");
            true
        }
        (http, other) => panic!("submit {n}: expected accepted or throttled, got {http} {other:?}"),
    }
}

/// One client, one kept-alive connection.
fn one_connection_client() -> reqwest::Client {
    canvass_simulator::mmsc::install_default_crypto_provider();
    reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .build()
        .expect("client")
}

#[tokio::test]
async fn a_connection_over_the_limit_is_throttled_and_a_new_one_is_not() {
    let config = SimConfig {
        rate_limit: LIMIT,
        ..SimConfig::ephemeral()
    };
    let mmsc = Mmsc::start(
        SocketAddr::from(([127, 0, 0, 1], 0)),
        Arc::new(config),
        Arc::new(Stats::default()),
    )
    .await
    .expect("the MMSC starts");
    let client = one_connection_client();
    let mut outcomes = Vec::new();
    for n in 0..LIMIT + 5 {
        outcomes.push(throttled(&client, &mmsc, n).await);
    }
    let throttled_count = outcomes.iter().filter(|t| **t).count();
    assert!(throttled_count >= 1, "{outcomes:?}");
    // Never more accepted than the limit allows in the windows those submits spanned.
    assert!(
        outcomes[..LIMIT as usize].iter().all(|t| !t),
        "{outcomes:?}"
    );
    let snapshot = mmsc.stats().snapshot();
    assert_eq!(snapshot.by_interface["mm7"].refused, throttled_count as u64);

    // Another connection has a window of its own.
    assert!(!throttled(&one_connection_client(), &mmsc, 99).await);
}
