//! Sample messages of every type, shared by the integration tests.
#![allow(dead_code)]

use canvass_mm7::*;

pub fn status(code: u16) -> Status {
    Status {
        code: StatusCode::from(code),
        text: "Text & <markup>".into(),
        details: Some("detail".into()),
    }
}

pub fn smil_content() -> Part {
    Part::related(vec![
        Part::data(
            "application/smil",
            b"<smil><body><par dur=\"5s\"><img src=\"cid:img\"/></par></body></smil>".to_vec(),
        )
        .with_content_id("smil")
        .with_charset("utf-8"),
        Part::data(
            "image/jpeg",
            vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'\r', b'\n'],
        )
        .with_content_id("img")
        .with_name("photo é.jpg"),
        Part::data("text/plain", "Héllo\r\n".as_bytes().to_vec())
            .with_content_id("txt")
            .with_location("hello.txt")
            .with_charset("utf-8"),
    ])
    .with_content_id("content@canvass")
}

pub fn full_submit() -> SubmitReq {
    SubmitReq {
        sender_identification: SenderIdentification {
            vasp_id: Some("vasp".into()),
            vas_id: Some("vas".into()),
            sender_address: Some(Address::new(AddressKind::ShortCode, "12345")),
        },
        recipients: Recipients {
            to: vec![
                Address::number("+15551230001"),
                Address {
                    kind: AddressKind::Rfc2822,
                    value: "a@example.com".into(),
                    display_only: Some(true),
                    address_coding: Some("obfuscated".into()),
                },
            ],
            cc: vec![Address::number("+15551230002")],
            bcc: vec![Address::new(AddressKind::ShortCode, "999")],
        },
        service_code: Some("svc".into()),
        linked_id: Some("link".into()),
        message_class: Some(MessageClass::Informational),
        time_stamp: Some("2026-11-25T10:00:00Z".into()),
        reply_charging: Some(ReplyCharging {
            size: Some("1000".into()),
            deadline: Some("P1D".into()),
        }),
        earliest_delivery_time: Some("2026-11-25T11:00:00Z".into()),
        expiry_date: Some("P2D".into()),
        delivery_report: Some(true),
        read_reply: Some(false),
        priority: Some(Priority::High),
        subject: Some("Vote 🗳 <today>".into()),
        charged_party: Some(ChargedParty::Sender),
        charged_party_id: Some("cp".into()),
        distribution_indicator: Some(false),
        delivery_condition: vec![1, 2],
        application: ApplicationIds {
            applic_id: Some("app".into()),
            reply_applic_id: Some("reply".into()),
            aux_applic_info: Some("aux".into()),
        },
        content_class: Some("image-basic".into()),
        drm_content: Some(false),
        content: Some(ContentRef {
            href: "cid:content@canvass".into(),
            allow_adaptations: Some(true),
        }),
    }
}

pub fn full_deliver() -> DeliverReq {
    DeliverReq {
        relay_server_id: Some("mmsc".into()),
        vasp_id: Some("vasp".into()),
        vas_id: Some("vas".into()),
        linked_id: Some("link".into()),
        sender: Address::number("+15551230003"),
        recipients: Some(Recipients {
            to: vec![Address::new(AddressKind::ShortCode, "12345")],
            ..Recipients::default()
        }),
        sender_spi: Some("spi".into()),
        recipient_spi: Some("rspi".into()),
        time_stamp: Some("2026-11-25T10:00:00Z".into()),
        reply_charging_id: Some("rc".into()),
        priority: Some(Priority::Other("Urgent".into())),
        subject: Some("Re: vote".into()),
        application: ApplicationIds::default(),
        ua_capabilities: Some(UaCapabilities {
            ua_prof: Some("http://example.com/ua.xml".into()),
            time_stamp: Some("2026-11-25T10:00:00Z".into()),
        }),
        content: Some(ContentRef::cid("content@canvass")),
    }
}

/// One envelope per message type, with the content where the type carries one, and every field that the
/// namespace's schema defines (later fields are dropped, as the strict writer requires).
pub fn every_message(namespace: &Namespace) -> Vec<Envelope> {
    let envelope = |body: Body| {
        let mut envelope = Envelope::new("tx-42", namespace.clone(), body);
        envelope.drop_unsupported();
        envelope
    };
    let with_content = |body: Body| Envelope {
        content: Some(smil_content()),
        ..envelope(body)
    };
    let mut replace = ReplaceReq::new("msg-1");
    replace.sender_identification.vasp_id = Some("vasp".into());
    replace.read_reply = Some(true);
    replace.content = Some(ContentRef::cid("content@canvass"));
    vec![
        with_content(Body::SubmitReq(full_submit())),
        envelope(Body::SubmitRsp(SubmitRsp {
            status: status(1000),
            message_id: Some("msg-1".into()),
        })),
        with_content(Body::DeliverReq(full_deliver())),
        envelope(Body::DeliverRsp(DeliverRsp {
            status: status(1000),
            service_code: Some("svc".into()),
        })),
        envelope(Body::DeliveryReportReq(DeliveryReportReq {
            relay_server_id: Some("mmsc".into()),
            message_id: "msg-1".into(),
            recipient: Address::number("+15551230001"),
            sender: Address::new(AddressKind::ShortCode, "12345"),
            date: "2026-11-25T10:00:00Z".into(),
            mm_status: MmStatus::Retrieved,
            mm_status_extension: Some("ext".into()),
            status_text: Some("ok".into()),
            application: ApplicationIds::default(),
            ua_capabilities: Some(UaCapabilities::default()),
        })),
        envelope(Body::DeliveryReportRsp(StatusRsp {
            status: status(1000),
        })),
        envelope(Body::ReadReplyReq(ReadReplyReq {
            relay_server_id: None,
            message_id: "msg-1".into(),
            recipient: Address::number("+15551230001"),
            sender: Address::new(AddressKind::ShortCode, "12345"),
            time_stamp: "2026-11-25T10:00:00Z".into(),
            mm_status: MmStatus::Read,
            status_text: None,
            application: ApplicationIds::default(),
        })),
        envelope(Body::ReadReplyRsp(StatusRsp {
            status: status(2005),
        })),
        envelope(Body::CancelReq(CancelReq {
            sender_identification: SenderIdentification {
                vasp_id: Some("vasp".into()),
                ..SenderIdentification::default()
            },
            message_id: "msg-1".into(),
        })),
        envelope(Body::CancelRsp(StatusRsp {
            status: status(4006),
        })),
        with_content(Body::ReplaceReq(replace)),
        envelope(Body::ReplaceRsp(StatusRsp {
            status: status(3001),
        })),
        envelope(Body::RsErrorRsp(RsErrorRsp {
            relay_server_id: Some("mmsc".into()),
            status: status(4004),
        })),
        envelope(Body::VaspErrorRsp(VaspErrorRsp {
            vasp_id: Some("vasp".into()),
            vas_id: None,
            status: status(9999),
        })),
    ]
}
