//! The SMPP connector against an SMSC we did not write: the npm `smpp` package (tests/peers/smsc.js). It
//! checks what arrives on the wire (alphabet, UDH, SAR) and that receipts and MO messages come back.

mod support;

use std::time::Duration;

use canvass_connectors::{
    Connector, ConnectorError, ConnectorEvent, DeliveryState, EventStream, OutboundMessage,
    SubmitOutcome,
    smpp::{self, BindMode, Concatenation},
};
use futures::StreamExt;
use serde_json::{Value, json};
use support::{npm_smsc::NpmSmsc, test_config};

async fn accepted(connector: &dyn Connector, body: &str) -> Vec<String> {
    let message = OutboundMessage::text("m1", "Canvass", "+4915550001", body);
    match connector.submit(&message).await {
        SubmitOutcome::Accepted { carrier_ids } => carrier_ids,
        other => panic!("{body:?}: expected accepted, got {other:?}"),
    }
}

/// The text of logged submit_sm parts, joined in sequence order.
fn joined(parts: &[Value]) -> String {
    parts
        .iter()
        .map(|p| p["text"].as_str().expect("a text part"))
        .collect()
}

async fn next_event(events: &mut EventStream) -> ConnectorEvent {
    tokio::time::timeout(Duration::from_secs(10), events.next())
        .await
        .expect("an event in time")
        .expect("the stream is open")
}

#[tokio::test]
async fn alphabets_and_udh_concatenation_arrive_as_sent() {
    let Some(mut smsc) = NpmSmsc::start(&[]).await else {
        return;
    };
    let built = smpp::build(test_config(&smsc.addr(), "secret"))
        .await
        .expect("bound");
    let connector = built.connector;

    let plain = "Hello [world] costs €5 {ok} ~ ^ | \\";
    let ids = accepted(connector.as_ref(), plain).await;
    let [sm] = &smsc.submits(1).await[..] else {
        unreachable!()
    };
    assert_eq!(ids.len(), 1);
    assert_eq!(sm["message_id"].as_str(), Some(ids[0].as_str()));
    assert_eq!(sm["data_coding"], 0, "{sm}");
    assert_eq!(sm["esm_class"], 0, "{sm}");
    assert_eq!(sm["text"], plain);
    assert_eq!(sm["destination_addr"], "4915550001");
    assert_eq!(sm["dest_addr_ton"], 1);
    assert_eq!(sm["source_addr_ton"], 5);
    assert_eq!(sm["registered_delivery"], 1);

    // 153 plain characters fit one message; three euros cost six septets and push it past 160.
    let single = "a".repeat(157);
    assert_eq!(accepted(connector.as_ref(), &single).await.len(), 1);
    smsc.submits(1).await;
    let euros = format!("{}€€€", "a".repeat(155));
    let ids = accepted(connector.as_ref(), &euros).await;
    assert_eq!(ids.len(), 2);
    let parts = smsc.submits(2).await;
    for (seq, part) in parts.iter().enumerate() {
        assert_eq!(part["esm_class"], 0x40, "{part}");
        let udh = part["udh"][0].as_str().expect("a UDH");
        assert_eq!(
            &udh[..4],
            "0003",
            "concatenation IE, 8-bit reference: {udh}"
        );
        assert_eq!(&udh[6..], format!("02{:02x}", seq + 1));
    }
    assert_eq!(
        parts[0]["udh"][0].as_str().map(|u| &u[4..6]),
        parts[1]["udh"][0].as_str().map(|u| &u[4..6])
    );
    assert_eq!(joined(&parts), euros);

    let cyrillic = "Привет, мир! 😀";
    accepted(connector.as_ref(), cyrillic).await;
    let [sm] = &smsc.submits(1).await[..] else {
        unreachable!()
    };
    assert_eq!(sm["data_coding"], 8, "{sm}");
    assert_eq!(sm["text"], cyrillic);

    let long_ucs2 = "Ж".repeat(100);
    assert_eq!(accepted(connector.as_ref(), &long_ucs2).await.len(), 2);
    let parts = smsc.submits(2).await;
    assert!(
        parts
            .iter()
            .all(|p| p["data_coding"] == 8 && p["esm_class"] == 0x40)
    );
    assert_eq!(joined(&parts), long_ucs2);
    connector.shutdown().await;
}

#[tokio::test]
async fn sar_concatenation_sets_the_tlvs() {
    let Some(mut smsc) = NpmSmsc::start(&[]).await else {
        return;
    };
    let mut config = test_config(&smsc.addr(), "secret");
    config.concatenation = Concatenation::Sar;
    let built = smpp::build(config).await.expect("bound");
    let text = format!("{}[end]", "sar ".repeat(60));
    let ids = accepted(built.connector.as_ref(), &text).await;
    assert_eq!(ids.len(), 2);
    let parts = smsc.submits(2).await;
    for (seq, part) in parts.iter().enumerate() {
        assert_eq!(part["esm_class"], 0, "no UDH with SAR: {part}");
        assert_eq!(part["sar"]["total"], 2);
        assert_eq!(part["sar"]["seq"], seq + 1);
        assert_eq!(part["sar"]["ref"], parts[0]["sar"]["ref"]);
    }
    assert_eq!(joined(&parts), text);
    built.connector.shutdown().await;
}

#[tokio::test]
async fn receipts_match_across_bases_and_mo_messages_arrive() {
    let Some(mut smsc) = NpmSmsc::start(&["--hex-ids"]).await else {
        return;
    };
    let mut config = test_config(&smsc.addr(), "secret");
    config.bind = BindMode::Transmitter;
    config.binds = 2;
    let built = smpp::build(config).await.expect("bound");
    // The SMSC reports a receipt done once answered, and we answer once the event is read: read as it comes.
    let (connector, mut events) = (built.connector, support::follow::follow(built.events));
    let mut binds = Vec::new();
    for _ in 0..3 {
        let bind = smsc.wait_for(|v| v["event"] == "bind").await;
        binds.push(bind["kind"].as_str().expect("a kind").to_owned());
    }
    binds.sort();
    assert_eq!(binds, ["receiver", "transmitter", "transmitter"]);

    // Hex id at submit, decimal id in the receipt text.
    let first = accepted(connector.as_ref(), "first").await.remove(0);
    assert!(
        first.chars().any(|c| c.is_ascii_uppercase()),
        "a hex id: {first}"
    );
    smsc.receipt(&first, "DELIVRD", "000", true, false).await;
    match next_event(&mut events).await {
        ConnectorEvent::Receipt(r) => {
            assert_eq!(r.carrier_id, first);
            assert_eq!(r.state, DeliveryState::Delivered);
            assert_eq!(r.error_code, None);
        }
        other => panic!("expected a receipt, got {other:?}"),
    }
    // Decimal in the TLV and the text; an undeliverable state with its error code.
    let second = accepted(connector.as_ref(), "second").await.remove(0);
    smsc.receipt(&second, "UNDELIV", "006", true, true).await;
    match next_event(&mut events).await {
        ConnectorEvent::Receipt(r) => {
            assert_eq!(r.carrier_id, second);
            assert_eq!(r.state, DeliveryState::Undeliverable);
            assert_eq!(r.error_code.as_deref(), Some("006"));
        }
        other => panic!("expected a receipt, got {other:?}"),
    }

    let mo = [
        json!({"cmd": "mo", "from": "4915550009", "to": "12345", "text": "Hi € [there]"}),
        json!({"cmd": "mo", "from": "4915550009", "to": "12345", "coding": "ucs2",
               "parts": ["Привет, ", "мир 😀"], "concat": "udh"}),
        json!({"cmd": "mo", "from": "4915550009", "to": "12345", "parts": ["one {", "} two"],
               "concat": "sar"}),
    ];
    for (command, expected) in mo
        .into_iter()
        .zip(["Hi € [there]", "Привет, мир 😀", "one {} two"])
    {
        smsc.command(command).await;
        match next_event(&mut events).await {
            ConnectorEvent::Inbound(m) => {
                assert_eq!(m.text.as_deref(), Some(expected));
                assert_eq!(m.from, "+4915550009");
                assert_eq!(m.to, "12345");
            }
            other => panic!("expected an inbound message, got {other:?}"),
        }
    }
    connector.shutdown().await;
}

#[tokio::test]
async fn decimal_ids_match_receipts_written_in_hex() {
    let Some(mut smsc) = NpmSmsc::start(&[]).await else {
        return;
    };
    let built = smpp::build(test_config(&smsc.addr(), "secret"))
        .await
        .expect("bound");
    // The SMSC reports a receipt done once answered, and we answer once the event is read: read as it comes.
    let (connector, mut events) = (built.connector, support::follow::follow(built.events));
    let id = accepted(connector.as_ref(), "decimal").await.remove(0);
    assert!(id.chars().all(|c| c.is_ascii_digit()), "a decimal id: {id}");
    smsc.command(json!({"cmd": "receipt", "id": id, "stat": "EXPIRED", "hex": true}))
        .await;
    match next_event(&mut events).await {
        ConnectorEvent::Receipt(r) => {
            assert_eq!(r.carrier_id, id);
            assert_eq!(r.state, DeliveryState::Expired);
        }
        other => panic!("expected a receipt, got {other:?}"),
    }
    connector.shutdown().await;
}

#[tokio::test]
async fn throttling_pauses_the_bind_and_a_full_queue_is_retried_up_to_the_cap() {
    let Some(mut smsc) = NpmSmsc::start(&[]).await else {
        return;
    };
    let mut config = test_config(&smsc.addr(), "secret");
    config.msgqful_retries = 3;
    let pause = config.throttle_pause;
    let built = smpp::build(config).await.expect("bound");
    let connector = built.connector;
    let message = OutboundMessage::text("t1", "12345", "+4915550002", "throttled");

    smsc.command(json!({"cmd": "throttle", "count": 1})).await;
    assert_eq!(
        connector.submit(&message).await,
        SubmitOutcome::Throttled {
            retry_after: Some(pause)
        }
    );
    // The bind rests: an immediate retry is refused here, without reaching the SMSC.
    assert!(matches!(
        connector.submit(&message).await,
        SubmitOutcome::Throttled { retry_after: Some(left) } if left <= pause
    ));
    tokio::time::sleep(pause).await;
    assert!(connector.submit(&message).await.is_accepted());
    let submits = smsc.submits(2).await;
    assert_eq!(submits[0]["status"], "ESME_RTHROTTLED");
    assert_eq!(submits[1]["status"], "ESME_ROK");

    smsc.command(json!({"cmd": "queue_full", "count": 2})).await;
    assert!(connector.submit(&message).await.is_accepted());
    let statuses: Vec<Value> = smsc
        .submits(3)
        .await
        .into_iter()
        .map(|s| s["status"].clone())
        .collect();
    assert_eq!(statuses, ["ESME_RMSGQFUL", "ESME_RMSGQFUL", "ESME_ROK"]);

    smsc.command(json!({"cmd": "queue_full", "count": 10}))
        .await;
    assert!(matches!(
        connector.submit(&message).await,
        SubmitOutcome::TemporaryFailure { ref code, .. } if code == "0x00000014"
    ));
    // The first try and three retries.
    let before = smsc.seen_submits();
    smsc.submits(4).await;
    assert_eq!(smsc.seen_submits(), before + 4);
    connector.shutdown().await;
}

#[tokio::test]
async fn a_wrong_password_is_refused() {
    let Some(smsc) = NpmSmsc::start(&["--password", "right"]).await else {
        return;
    };
    match smpp::build(test_config(&smsc.addr(), "wrong")).await {
        Err(ConnectorError::Refused { reason, .. }) => {
            assert!(reason.contains("0x0000000E"), "{reason}")
        }
        other => panic!("expected refused, got {other:?}"),
    }
}
