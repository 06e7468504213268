//! MM7 over https against the simulator's MMSC with a certificate made here: trusted as an extra root, the
//! submit goes through and its receipt comes back; not trusted, the connector refuses the MMSC and says why.

mod mm7_support;

use std::{net::SocketAddr, sync::Arc, time::Duration};

use canvass_connectors::{ConnectorError, ConnectorEvent, DeliveryState, SubmitOutcome};
use canvass_simulator::{
    SimConfig, Stats,
    mmsc::{Mmsc, MmscTls},
};
use futures::StreamExt;
use mm7_support::{config, connect, mms};

/// A self-signed certificate for 127.0.0.1 and localhost: (certificate PEM, key PEM).
fn self_signed() -> (String, String) {
    let made = rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()])
        .expect("rcgen makes a certificate");
    (made.cert.pem(), made.signing_key.serialize_pem())
}

async fn tls_mmsc(cert_pem: &str, key_pem: &str) -> Mmsc {
    let mmsc = Mmsc::start_tls(
        SocketAddr::from(([127, 0, 0, 1], 0)),
        Arc::new(SimConfig::ephemeral()),
        Arc::new(Stats::default()),
        &MmscTls::new(cert_pem, key_pem),
    )
    .await
    .expect("the MMSC starts with TLS");
    assert!(mmsc.url().starts_with("https://"), "{}", mmsc.url());
    mmsc
}

#[tokio::test]
async fn a_trusted_https_mmsc_takes_the_submit_and_sends_its_receipt() {
    let (cert, key) = self_signed();
    let mmsc = tls_mmsc(&cert, &key).await;
    let mut built = connect(&mmsc, config(&mmsc.url()).with_tls_root_pem(cert)).await;
    built.healthcheck.check().await.expect("healthy over https");

    let outcome = built.connector.submit(&mms("tls-1", "+12025550301")).await;
    let id = outcome
        .carrier_id()
        .expect("accepted over https")
        .to_string();
    let receipt = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match built.events.next().await.expect("events stay open") {
                ConnectorEvent::Receipt(receipt) if receipt.carrier_id == id => break receipt,
                _ => continue,
            }
        }
    })
    .await
    .expect("the receipt arrives");
    assert_eq!(receipt.state, DeliveryState::Delivered);
    assert_eq!(mmsc.stats().accepted_for("+12025550301"), 1);
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused_and_named() {
    let (cert, key) = self_signed();
    let mmsc = tls_mmsc(&cert, &key).await;
    let built = connect(&mmsc, config(&mmsc.url())).await;

    match built.healthcheck.check().await {
        Err(ConnectorError::Unreachable { reason, .. }) => {
            assert!(reason.to_lowercase().contains("certificate"), "{reason}");
        }
        other => panic!("expected the certificate to be refused, got {other:?}"),
    }
    match built.connector.submit(&mms("tls-2", "+12025550302")).await {
        SubmitOutcome::TemporaryFailure { code, reason } => {
            assert_eq!(code, "tls-certificate", "{reason}");
            assert!(reason.contains("UnknownIssuer"), "{reason}");
        }
        other => panic!("expected a temporary failure, got {other:?}"),
    }
    assert_eq!(mmsc.stats().accepted_for("+12025550302"), 0);
}

#[tokio::test]
async fn accepting_invalid_certificates_is_an_explicit_choice() {
    let (cert, key) = self_signed();
    let mmsc = tls_mmsc(&cert, &key).await;
    let mut settings = config(&mmsc.url());
    settings.danger_accept_invalid_certs = true;
    let built = connect(&mmsc, settings).await;
    let outcome = built.connector.submit(&mms("tls-3", "+12025550303")).await;
    assert!(outcome.is_accepted(), "{outcome:?}");
}

#[tokio::test]
async fn a_root_file_without_certificates_is_a_configuration_error() {
    for pem in ["no PEM here", "-----BEGIN NOTHING-----"] {
        let settings = config("https://127.0.0.1:9/mm7").with_tls_root_pem(pem);
        match canvass_connectors::mm7::build(settings).await {
            Err(ConnectorError::Config(reason)) => {
                assert!(reason.contains("extra root certificate 1"), "{reason}")
            }
            other => panic!(
                "expected a configuration error, got {:?}",
                other.map(|_| ())
            ),
        }
    }
}
