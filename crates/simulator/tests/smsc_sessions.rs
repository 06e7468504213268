//! The simulated SMSC's sessions: binds and credentials, unbind, keep-alive and idle peers, shutdown, and bad
//! input (unknown commands, undecodable bodies, impossible lengths).

#[path = "support/smpp_client.rs"]
mod client;

use std::time::Duration;

use canvass_simulator::SimConfig;
use canvass_types::Personality;
use client::{Bind, Client, Sim, start, submit};
use rusmpp::{CommandId, CommandStatus, Pdu};
use tokio::io::AsyncWriteExt;

#[tokio::test]
async fn submits_before_a_bind_are_refused() {
    let sim = start(SimConfig::ephemeral()).await;
    let mut client = Client::connect(sim.smsc.local_addr()).await;
    let (status, _) = client
        .submit(submit(&Personality::Happy.number(0), b"x"))
        .await;
    assert_eq!(status, CommandStatus::EsmeRinvbndsts);
}

#[tokio::test]
async fn unbind_is_answered_then_the_session_closes() {
    let sim = start(SimConfig::ephemeral()).await;
    let mut client = sim.bound(Bind::Transceiver).await;
    let seq = client.send(Pdu::Unbind).await;
    let answer = client.answer_to(seq).await;
    assert_eq!(answer.id(), CommandId::UnbindResp);
    assert!(client.closed().await);
}

#[tokio::test]
async fn credentials_when_set_refuse_a_wrong_password_and_close() {
    let sim = start(SimConfig {
        credentials: Some(("esme".into(), "secret".into())),
        ..SimConfig::ephemeral()
    })
    .await;
    let mut wrong = Client::connect(sim.smsc.local_addr()).await;
    assert_eq!(
        wrong.bind(Bind::Transceiver, "esme", "guess").await,
        CommandStatus::EsmeRinvpaswd
    );
    assert!(wrong.closed().await);
    let mut stranger = Client::connect(sim.smsc.local_addr()).await;
    assert_eq!(
        stranger.bind(Bind::Transmitter, "nobody", "secret").await,
        CommandStatus::EsmeRinvsysid
    );
    assert!(stranger.closed().await);
    sim.bound(Bind::Transceiver).await;
}

/// Raw bytes on a fresh connection.
async fn raw(sim: &Sim, bytes: &[u8]) -> Client {
    let mut client = Client::connect(sim.smsc.local_addr()).await;
    client
        .framed
        .get_mut()
        .write_all(bytes)
        .await
        .expect("write raw bytes");
    client
}

#[tokio::test]
async fn an_unknown_command_id_gets_generic_nack_and_the_session_goes_on() {
    let sim = start(SimConfig::ephemeral()).await;
    let unknown = [
        0, 0, 0, 20, 0, 0, 0x01, 0x99, 0, 0, 0, 0, 0, 0, 0, 5, 0xDE, 0xAD, 0xBE, 0xEF,
    ];
    let mut client = raw(&sim, &unknown).await;
    let nack = client.next().await.expect("an answer");
    assert_eq!(
        (nack.id(), nack.status(), nack.sequence_number()),
        (CommandId::GenericNack, CommandStatus::EsmeRinvcmdid, 5)
    );
    assert_eq!(
        client.bind(Bind::Transceiver, "esme", "x").await,
        CommandStatus::EsmeRok
    );
}

#[tokio::test]
async fn an_undecodable_body_gets_generic_nack_and_the_session_goes_on() {
    let sim = start(SimConfig::ephemeral()).await;
    // bind_transmitter whose system_id runs to the end of the PDU without a NUL.
    let mut bytes = vec![0, 0, 0, 24, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 7];
    bytes.extend_from_slice(b"esmeesme");
    let mut client = raw(&sim, &bytes).await;
    let nack = client.next().await.expect("an answer");
    assert_eq!(
        (nack.id(), nack.sequence_number()),
        (CommandId::GenericNack, 7)
    );
    assert_ne!(nack.status(), CommandStatus::EsmeRok);
    assert_eq!(
        client.bind(Bind::Transceiver, "esme", "x").await,
        CommandStatus::EsmeRok
    );
}

#[tokio::test]
async fn an_oversized_or_undersized_command_length_closes_the_socket() {
    let sim = start(SimConfig::ephemeral()).await;
    let oversized = [0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 1];
    assert!(raw(&sim, &oversized).await.closed().await);
    let just_over = ((canvass_simulator::smsc::MAX_COMMAND_LENGTH + 1) as u32).to_be_bytes();
    assert!(
        raw(
            &sim,
            &[&just_over[..], &[0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 1]].concat()
        )
        .await
        .closed()
        .await
    );
    let undersized = [0, 0, 0, 8, 0, 0, 0, 21, 0, 0, 0, 0, 0, 0, 0, 1];
    assert!(raw(&sim, &undersized).await.closed().await);
    assert!(
        raw(&sim, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .closed()
            .await
    );
}

#[tokio::test]
async fn a_silent_peer_is_probed_then_disconnected() {
    let sim = start(SimConfig {
        idle_timeout: Duration::from_millis(100),
        ..SimConfig::ephemeral()
    })
    .await;
    let mut client = sim.bound(Bind::Transceiver).await;
    // The client goes silent: it reads, but never answers.
    let probe = client.next().await.expect("an enquire_link first");
    assert_eq!(probe.id(), CommandId::EnquireLink);
    assert!(client.closed().await);
}

#[tokio::test]
async fn an_idle_peer_that_answers_the_probe_stays_connected() {
    let sim = start(SimConfig {
        idle_timeout: Duration::from_millis(100),
        ..SimConfig::ephemeral()
    })
    .await;
    let mut client = sim.bound(Bind::Transceiver).await;
    for _ in 0..3 {
        let probe = client.next().await.expect("a probe");
        assert_eq!(probe.id(), CommandId::EnquireLink);
        let resp = rusmpp::Command::new(
            CommandStatus::EsmeRok,
            probe.sequence_number(),
            Pdu::EnquireLinkResp,
        );
        futures::SinkExt::send(&mut client.framed, resp)
            .await
            .expect("answer the probe");
    }
    let (status, _) = client
        .submit(submit(&Personality::Happy.number(0), b"x"))
        .await;
    assert_eq!(status, CommandStatus::EsmeRok);
}

#[tokio::test]
async fn shutdown_closes_open_sessions() {
    let sim = start(SimConfig::ephemeral()).await;
    let mut client = sim.bound(Bind::Transceiver).await;
    sim.smsc.shutdown().await;
    assert!(client.closed().await);
}
