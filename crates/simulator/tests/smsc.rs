//! The simulated SMSC driven by a raw SMPP client: personalities, receipts, concatenation, WAP Push, MO.
//! Sessions and bad input are in smsc_sessions.rs.

#[path = "support/smpp_client.rs"]
mod client;

use canvass_simulator::SimConfig;
use canvass_types::Personality;
use client::{
    Bind, Client, assert_receipt_text, eventually, receipt_tlvs, start, submit, submit_udh, text_of,
};
use rusmpp::{
    CommandId, CommandStatus, Pdu,
    pdus::DataSm,
    tlvs::MessageSubmissionRequestTlvValue,
    types::AnyOctetString,
    values::{DataCoding, MessagePayload, RegisteredDelivery},
};

const DELIVERED: u8 = 2;
const UNDELIVERABLE: u8 = 5;

#[tokio::test]
async fn a_happy_submit_gets_a_fresh_id_and_a_delivered_receipt_with_text_and_tlvs() {
    let sim = start(SimConfig::ephemeral()).await;
    let mut client = sim.bound(Bind::Transceiver).await;
    let to = Personality::Happy.number(1);
    let (status, id) = client.submit(submit(&to, b"hello there")).await;
    assert_eq!(status, CommandStatus::EsmeRok);
    assert!(
        !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()),
        "{id}"
    );
    let (_, second) = client.submit(submit(&to, b"again")).await;
    assert_ne!(id, second, "every submit gets its own id");

    let receipt = client.receipt().await;
    assert_eq!(
        u8::from(receipt.esm_class),
        0x04,
        "receipt flag in esm_class"
    );
    assert_eq!(receipt.source_addr.to_string(), to);
    assert_eq!(receipt.destination_addr.to_string(), "12345");
    assert_receipt_text(
        &text_of(&receipt),
        &id,
        "001",
        "DELIVRD",
        "000",
        "hello there",
    );
    assert_eq!(receipt_tlvs(&receipt), (Some(id), Some(DELIVERED), None));

    client.receipt().await;
    eventually("two receipts counted", || sim.smpp().receipts == 2).await;
    assert_eq!(sim.smpp().accepted, 2);
    assert_eq!(sim.stats.accepted_for(&to), 2);
}

#[tokio::test]
async fn throttling_numbers_are_throttled_once_then_accepted() {
    let sim = start(SimConfig::ephemeral()).await;
    let mut client = sim.bound(Bind::Transceiver).await;
    let to = Personality::Throttling.number(3);
    assert_eq!(
        client.submit(submit(&to, b"a")).await.0,
        CommandStatus::EsmeRthrottled
    );
    assert_eq!(
        client.submit(submit(&to, b"a")).await.0,
        CommandStatus::EsmeRok
    );
    let other = Personality::Throttling.number(4);
    assert_eq!(
        client.submit(submit(&other, b"a")).await.0,
        CommandStatus::EsmeRthrottled
    );
    let counters = sim.smpp();
    assert_eq!((counters.accepted, counters.refused), (1, 2));
}

#[tokio::test]
async fn nack_numbers_are_refused_as_invalid_destinations() {
    let sim = start(SimConfig::ephemeral()).await;
    let mut client = sim.bound(Bind::Transceiver).await;
    let (status, _) = client
        .submit(submit(&Personality::Nack.number(0), b"x"))
        .await;
    assert_eq!(status, CommandStatus::EsmeRinvdstadr);
    assert_eq!((sim.smpp().accepted, sim.smpp().refused), (0, 1));
}

#[tokio::test]
async fn blackhole_and_receipt_loss_numbers_are_accepted_without_receipts() {
    let sim = start(SimConfig::ephemeral()).await;
    let mut client = sim.bound(Bind::Transceiver).await;
    let (s1, black) = client
        .submit(submit(&Personality::Blackhole.number(0), b"x"))
        .await;
    let (s2, lost) = client
        .submit(submit(&Personality::ReceiptLoss.number(0), b"x"))
        .await;
    assert_eq!((s1, s2), (CommandStatus::EsmeRok, CommandStatus::EsmeRok));
    // A happy message submitted after them: its receipt is the first (and only) one to arrive.
    let (_, happy) = client
        .submit(submit(&Personality::Happy.number(0), b"x"))
        .await;
    let receipt = client.receipt().await;
    assert_eq!(receipt_tlvs(&receipt).0.as_deref(), Some(happy.as_str()));
    assert!(client.delivered.is_empty());
    assert_ne!(black, lost);
    eventually("one receipt counted", || sim.smpp().receipts == 1).await;
    assert_eq!(sim.smpp().accepted, 3);
}

#[tokio::test]
async fn landline_numbers_get_an_undeliverable_receipt_with_error_6() {
    let sim = start(SimConfig::ephemeral()).await;
    let mut client = sim.bound(Bind::Transceiver).await;
    let (status, id) = client
        .submit(submit(&Personality::Landline.number(2), b"hi"))
        .await;
    assert_eq!(status, CommandStatus::EsmeRok);
    let receipt = client.receipt().await;
    assert_receipt_text(&text_of(&receipt), &id, "000", "UNDELIV", "006", "hi");
    assert_eq!(
        receipt_tlvs(&receipt),
        (Some(id), Some(UNDELIVERABLE), Some(6))
    );
}

#[tokio::test]
async fn not_rcs_capable_numbers_are_happy_over_sms() {
    let sim = start(SimConfig::ephemeral()).await;
    let mut client = sim.bound(Bind::Transceiver).await;
    let (status, id) = client
        .submit(submit(&Personality::NotRcsCapable.number(0), b"x"))
        .await;
    assert_eq!(status, CommandStatus::EsmeRok);
    assert_eq!(
        receipt_tlvs(&client.receipt().await).1,
        Some(DELIVERED),
        "{id}"
    );
}

#[tokio::test]
async fn unbind_on_submit_numbers_end_the_session_without_an_answer() {
    let sim = start(SimConfig::ephemeral()).await;
    let mut client = sim.bound(Bind::Transceiver).await;
    client
        .send(submit(&Personality::UnbindOnSubmit.number(0), b"x"))
        .await;
    let next = client.next().await.expect("an unbind before the close");
    assert_eq!(next.id(), CommandId::Unbind);
    assert!(client.closed().await);
    assert_eq!((sim.smpp().accepted, sim.smpp().dropped), (0, 1));
}

#[tokio::test]
async fn no_response_numbers_are_never_answered_but_the_session_lives_on() {
    let sim = start(SimConfig::ephemeral()).await;
    let mut client = sim.bound(Bind::Transceiver).await;
    let silent = client
        .send(submit(&Personality::NoResponse.number(0), b"x"))
        .await;
    let probe = client.send(Pdu::EnquireLink).await;
    let happy = client
        .send(submit(&Personality::Happy.number(0), b"x"))
        .await;
    // Read up to the happy answer: the enquire_link is answered on the way, the silent submit never.
    let mut answered = Vec::new();
    loop {
        let command = client.next().await.expect("the session stays open");
        if client::is_response(command.id()) {
            answered.push(command.sequence_number());
        }
        if command.sequence_number() == happy {
            assert_eq!(command.status(), CommandStatus::EsmeRok);
            break;
        }
    }
    assert_eq!(answered, [probe, happy]);
    assert!(!answered.contains(&silent));
    assert_eq!((sim.smpp().accepted, sim.smpp().dropped), (1, 1));
}

#[tokio::test]
async fn slow_numbers_are_answered_after_faster_ones() {
    let sim = start(SimConfig::ephemeral()).await;
    let mut client = sim.bound(Bind::Transceiver).await;
    let slow = client
        .send(submit(&Personality::Slow.number(0), b"x"))
        .await;
    let fast = client
        .send(submit(&Personality::Happy.number(0), b"x"))
        .await;
    let first = client.until(|c| c.id() == CommandId::SubmitSmResp).await;
    assert_eq!(first.sequence_number(), fast);
    let second = client.until(|c| c.id() == CommandId::SubmitSmResp).await;
    assert_eq!(
        (second.sequence_number(), second.status()),
        (slow, CommandStatus::EsmeRok)
    );
}

#[tokio::test]
async fn every_nth_submit_on_a_session_is_throttled() {
    let sim = start(SimConfig {
        throttle_every: 3,
        ..SimConfig::ephemeral()
    })
    .await;
    let mut client = sim.bound(Bind::Transmitter).await;
    let mut statuses = Vec::new();
    for n in 0..6 {
        statuses.push(
            client
                .submit(submit(&Personality::Happy.number(n), b"x"))
                .await
                .0,
        );
    }
    use CommandStatus::{EsmeRok as Ok, EsmeRthrottled as Throttled};
    assert_eq!(statuses, [Ok, Ok, Throttled, Ok, Ok, Throttled]);
}

#[tokio::test]
async fn submits_over_the_rate_limit_are_throttled() {
    let sim = start(SimConfig {
        rate_limit: 2,
        ..SimConfig::ephemeral()
    })
    .await;
    let mut client = sim.bound(Bind::Transmitter).await;
    // Three submits in well under a second (each answer comes back in microseconds).
    let mut throttled = 0;
    for n in 0..3 {
        if client
            .submit(submit(&Personality::Happy.number(n), b"x"))
            .await
            .0
            == CommandStatus::EsmeRthrottled
        {
            throttled += 1;
        }
    }
    assert!(throttled >= 1);
}

#[tokio::test]
async fn hex_ids_answer_in_hex_but_write_the_receipt_text_in_decimal() {
    let sim = start(SimConfig {
        hex_ids: true,
        ..SimConfig::ephemeral()
    })
    .await;
    let mut client = sim.bound(Bind::Transceiver).await;
    let (_, id) = client
        .submit(submit(&Personality::Happy.number(0), b"x"))
        .await;
    let number = u64::from_str_radix(&id, 16).expect("a hex id");
    assert_ne!(id, number.to_string());
    let receipt = client.receipt().await;
    assert_receipt_text(
        &text_of(&receipt),
        &number.to_string(),
        "001",
        "DELIVRD",
        "000",
        "x",
    );
    assert_eq!(receipt_tlvs(&receipt).0, Some(id));
}

#[tokio::test]
async fn receipts_go_to_a_receiver_of_the_same_system_id_not_to_a_transmitter() {
    let sim = start(SimConfig::ephemeral()).await;
    let mut transmitter = sim.bound(Bind::Transmitter).await;
    let mut receiver = sim.bound(Bind::Receiver).await;
    let mut stranger = Client::connect(sim.smsc.local_addr()).await;
    assert_eq!(
        stranger.bind(Bind::Receiver, "other", "x").await,
        CommandStatus::EsmeRok
    );

    let (_, id) = transmitter
        .submit(submit(&Personality::Happy.number(0), b"x"))
        .await;
    let receipt = receiver.receipt().await;
    assert_eq!(receipt_tlvs(&receipt).0, Some(id));
    for client in [&mut transmitter, &mut stranger] {
        let probe = client.send(Pdu::EnquireLink).await;
        let next = client.next().await.expect("session open");
        assert_eq!(
            (next.id(), next.sequence_number()),
            (CommandId::EnquireLinkResp, probe)
        );
    }
    // A receiver cannot submit.
    let (status, _) = receiver
        .submit(submit(&Personality::Happy.number(0), b"x"))
        .await;
    assert_eq!(status, CommandStatus::EsmeRinvbndsts);
}

#[tokio::test]
async fn concatenated_segments_are_accepted_one_by_one_with_their_own_receipts() {
    let sim = start(SimConfig::ephemeral()).await;
    let mut client = sim.bound(Bind::Transceiver).await;
    let to = Personality::Happy.number(5);
    let mut ids = Vec::new();
    for seq in 1..=2u8 {
        let eight_bit = [&[5u8, 0, 3, 0x2A, 2, seq][..], b"part"].concat();
        ids.push(client.submit(submit_udh(&to, &eight_bit)).await);
        let sixteen_bit = [&[6u8, 8, 4, 0x12, 0x34, 2, seq][..], b"part"].concat();
        ids.push(client.submit(submit_udh(&to, &sixteen_bit)).await);
        let sar = submit(&to, b"part")
            .push_tlv_owned(MessageSubmissionRequestTlvValue::SarMsgRefNum(7))
            .push_tlv_owned(MessageSubmissionRequestTlvValue::SarTotalSegments(2))
            .push_tlv_owned(MessageSubmissionRequestTlvValue::SarSegmentSeqnum(seq));
        ids.push(client.submit(sar).await);
    }
    assert!(ids.iter().all(|(s, _)| *s == CommandStatus::EsmeRok));
    let mut distinct: Vec<String> = ids.into_iter().map(|(_, id)| id).collect();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 6);
    let mut receipted = Vec::new();
    for _ in 0..6 {
        receipted.extend(receipt_tlvs(&client.receipt().await).0);
    }
    receipted.sort();
    assert_eq!(receipted, distinct);
    assert_eq!(sim.stats.accepted_for(&to), 6);
}

/// `push_tlv` on an owned PDU, for building in one expression.
trait PushTlv {
    fn push_tlv_owned(self, tlv: MessageSubmissionRequestTlvValue) -> Self;
}

impl PushTlv for rusmpp::pdus::SubmitSm {
    fn push_tlv_owned(mut self, tlv: MessageSubmissionRequestTlvValue) -> Self {
        self.push_tlv(tlv);
        self
    }
}

#[tokio::test]
async fn a_segmented_wap_push_is_reassembled_and_published() {
    use canvass_mms::{Time, compose, wap_push};
    let sim = start(SimConfig::ephemeral()).await;
    let mut pushes = sim.smsc.wap_pushes();
    let mut client = sim.bound(Bind::Transceiver).await;
    let notification = compose::notification_ind(
        "T42",
        Some("+12025550100"),
        Some("Hello"),
        30_000,
        Time::Relative(86_400),
        &format!("http://mmsc.example/{}", "m".repeat(150)),
    );
    let options = wap_push::SegmentOptions {
        reference: 9,
        ..Default::default()
    };
    let segments = wap_push::segments(&notification, &options).expect("segments");
    assert!(segments.len() >= 2);
    let to = Personality::Happy.number(9);
    for segment in segments.iter().rev() {
        assert_eq!(
            client.submit(submit_udh(&to, segment)).await.0,
            CommandStatus::EsmeRok
        );
    }
    let push = tokio::time::timeout(client::WAIT, pushes.recv())
        .await
        .expect("a push within the wait")
        .expect("the channel is open");
    assert_eq!(
        (push.to.as_str(), push.from.as_str()),
        (to.as_str(), "12345")
    );
    let decoded = wap_push::decode_push(&push.payload).expect("a WSP push with an MMS PDU");
    assert_eq!(decoded, notification);
    assert_eq!(sim.smsc.wap_pushes_for(&to), vec![push]);
    assert_eq!(sim.stats.accepted_for(&to), segments.len() as u64);
}

#[tokio::test]
async fn data_sm_is_accepted_like_submit_sm() {
    let sim = start(SimConfig::ephemeral()).await;
    let mut client = sim.bound(Bind::Transceiver).await;
    let mut data_sm = DataSm::builder()
        .source_addr(client::address("12345"))
        .destination_addr(client::address(&Personality::Happy.number(0)))
        .registered_delivery(RegisteredDelivery::request_all())
        .build();
    data_sm.push_tlv(MessageSubmissionRequestTlvValue::MessagePayload(
        MessagePayload::new(AnyOctetString::from_static_slice(b"payload text")),
    ));
    let seq = client.send(data_sm).await;
    let answer = client.answer_to(seq).await;
    assert_eq!(
        (answer.id(), answer.status()),
        (CommandId::DataSmResp, CommandStatus::EsmeRok)
    );
    let receipt = client.receipt().await;
    assert!(
        text_of(&receipt).ends_with("text:payload text"),
        "{}",
        text_of(&receipt)
    );
}

#[tokio::test]
async fn mo_messages_go_to_a_receiver_in_gsm7_or_ucs2() {
    let sim = start(SimConfig::ephemeral()).await;
    assert!(
        sim.smsc.send_mo("+12025550100", "12345", "STOP").is_err(),
        "no receiver yet"
    );
    let mut client = sim.bound(Bind::Receiver).await;
    sim.smsc
        .send_mo("+12025550100", "12345", "STOP")
        .expect("a receiver is bound");
    sim.smsc
        .send_mo("+12025550100", "12345", "Привет")
        .expect("a receiver is bound");
    let gsm = client.receipt().await;
    assert_eq!(
        (gsm.data_coding, gsm.short_message().as_ref()),
        (DataCoding::McSpecific, &b"STOP"[..])
    );
    assert_eq!(u8::from(gsm.esm_class), 0, "an MO is no receipt");
    let ucs2 = client.receipt().await;
    assert_eq!(ucs2.data_coding, DataCoding::Ucs2);
    let expected: Vec<u8> = "Привет".encode_utf16().flat_map(u16::to_be_bytes).collect();
    assert_eq!(ucs2.short_message().as_ref(), &expected[..]);
    assert_eq!(sim.smpp().inbound, 2);
}

#[tokio::test]
async fn submit_multi_judges_each_destination_by_its_number() {
    use rusmpp::{
        pdus::SubmitMulti,
        types::OctetString,
        values::{DestAddress, EsmClass, Npi, SmeAddress, Ton},
    };
    let sim = start(SimConfig::ephemeral()).await;
    let mut client = sim.bound(Bind::Transceiver).await;
    let destinations = [
        Personality::Happy.number(0),
        Personality::Nack.number(0),
        Personality::Landline.number(0),
    ];
    let multi = SubmitMulti::builder()
        .source_addr(client::address("12345"))
        .dest_address(
            destinations
                .iter()
                .map(|to| {
                    DestAddress::SmeAddress(SmeAddress::new(
                        Ton::Unknown,
                        Npi::Unknown,
                        client::address(to),
                    ))
                })
                .collect(),
        )
        .esm_class(EsmClass::from(0))
        .registered_delivery(RegisteredDelivery::request_all())
        .short_message(OctetString::from_slice(b"to many").expect("fits"))
        .build();
    let seq = client.send(multi).await;
    let answer = client.answer_to(seq).await;
    assert_eq!(answer.status(), CommandStatus::EsmeRok);
    let Some(Pdu::SubmitMultiResp(resp)) = answer.pdu() else {
        panic!("expected submit_multi_resp, got {answer:?}");
    };
    let id = resp.message_id.to_string();
    let failed: Vec<(String, CommandStatus)> = resp
        .unsuccess_sme()
        .iter()
        .map(|u| (u.destination_addr.to_string(), u.error_status_code))
        .collect();
    assert_eq!(
        failed,
        [(destinations[1].clone(), CommandStatus::EsmeRinvdstadr)]
    );
    let mut states = Vec::new();
    for _ in 0..2 {
        let receipt = client.receipt().await;
        let (receipted, state, _) = receipt_tlvs(&receipt);
        assert_eq!(receipted.as_deref(), Some(id.as_str()));
        states.push((receipt.source_addr.to_string(), state));
    }
    states.sort();
    let mut expected = vec![
        (destinations[0].clone(), Some(DELIVERED)),
        (destinations[2].clone(), Some(UNDELIVERABLE)),
    ];
    expected.sort();
    assert_eq!(states, expected);
    assert_eq!((sim.smpp().accepted, sim.smpp().refused), (2, 1));
}

#[tokio::test]
async fn receipts_wait_for_a_receiver_and_then_alternate_between_receivers() {
    let sim = start(SimConfig::ephemeral()).await;
    let mut transmitter = sim.bound(Bind::Transmitter).await;
    let (_, early) = transmitter
        .submit(submit(&Personality::Happy.number(0), b"x"))
        .await;
    // No receiver yet: the receipt is kept, and sent on the first receiver bind.
    let mut first = sim.bound(Bind::Receiver).await;
    assert_eq!(receipt_tlvs(&first.receipt().await).0, Some(early));
    let mut second = sim.bound(Bind::Transceiver).await;
    let (_, a) = transmitter
        .submit(submit(&Personality::Happy.number(1), b"x"))
        .await;
    let (_, b) = transmitter
        .submit(submit(&Personality::Happy.number(2), b"x"))
        .await;
    let mut got = [
        receipt_tlvs(&first.receipt().await).0.expect("an id"),
        receipt_tlvs(&second.receipt().await).0.expect("an id"),
    ];
    got.sort();
    let mut sent = [a, b];
    sent.sort();
    assert_eq!(got, sent, "one receipt each, round-robin");
}

#[tokio::test]
async fn a_receipt_returns_on_the_transceiver_that_submitted() {
    let sim = start(SimConfig::ephemeral()).await;
    let mut first = sim.bound(Bind::Transceiver).await;
    let mut second = sim.bound(Bind::Transceiver).await;
    // Both binds submit; each must get its own receipts back, never the other's (Kannel matches per bind).
    let mut own = Vec::new();
    for n in 0..4 {
        let (_, a) = first
            .submit(submit(&Personality::Happy.number(10 + n), b"x"))
            .await;
        let (_, b) = second
            .submit(submit(&Personality::Happy.number(20 + n), b"x"))
            .await;
        own.push((a, b));
    }
    for (a, b) in own {
        assert_eq!(receipt_tlvs(&first.receipt().await).0, Some(a));
        assert_eq!(receipt_tlvs(&second.receipt().await).0, Some(b));
    }
}
