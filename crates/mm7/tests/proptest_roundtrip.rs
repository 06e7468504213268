//! Generated messages of every type, in both namespace families, survive write → read unchanged.

use canvass_mm7::*;
use proptest::option;
use proptest::prelude::*;

/// Text as the reader returns it: no leading or trailing whitespace (values are trimmed), but markup
/// characters, line breaks inside, and non-ASCII.
fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 &<>\"'é中🗳\t\r\n.:/+-]{0,24}".prop_map(|s| s.trim().to_string())
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    option::of(text())
}

/// An enum value outside the known set, so that it comes back as `Other`.
fn other_value() -> impl Strategy<Value = String> {
    "x-[a-zA-Z0-9]{1,8}"
}

fn address() -> impl Strategy<Value = Address> {
    (
        prop_oneof![
            Just(AddressKind::Number),
            Just(AddressKind::Rfc2822),
            Just(AddressKind::ShortCode)
        ],
        text(),
        option::of(any::<bool>()),
        opt_text(),
    )
        .prop_map(|(kind, value, display_only, address_coding)| Address {
            kind,
            value,
            display_only,
            address_coding,
        })
}

fn recipients() -> impl Strategy<Value = Recipients> {
    (
        prop::collection::vec(address(), 1..3),
        prop::collection::vec(address(), 0..2),
        prop::collection::vec(address(), 0..2),
    )
        .prop_map(|(to, cc, bcc)| Recipients { to, cc, bcc })
}

fn status() -> impl Strategy<Value = Status> {
    (any::<u16>(), text(), opt_text()).prop_map(|(code, text, details)| Status {
        code: StatusCode::from(code),
        text,
        details,
    })
}

fn priority() -> impl Strategy<Value = Option<Priority>> {
    option::of(prop_oneof![
        Just(Priority::Low),
        Just(Priority::Normal),
        Just(Priority::High),
        other_value().prop_map(Priority::Other),
    ])
}

fn applications() -> impl Strategy<Value = ApplicationIds> {
    (opt_text(), opt_text(), opt_text()).prop_map(|(a, r, x)| ApplicationIds {
        applic_id: a,
        reply_applic_id: r,
        aux_applic_info: x,
    })
}

fn sender_identification() -> impl Strategy<Value = SenderIdentification> {
    (opt_text(), opt_text(), option::of(address())).prop_map(|(vasp_id, vas_id, sender_address)| {
        SenderIdentification {
            vasp_id,
            vas_id,
            sender_address,
        }
    })
}

fn leaf(index: usize) -> impl Strategy<Value = Part> {
    (
        prop_oneof![
            Just("image/jpeg"),
            Just("text/plain"),
            Just("application/smil"),
            Just("video/3gpp"),
            Just("audio/amr")
        ],
        prop::collection::vec(any::<u8>(), 0..300),
        option::of("[a-zA-Z0-9 ._()é😀-]{0,12}[a-z]"),
        option::of("utf-8|us-ascii|iso-8859-1"),
        option::of("[a-zA-Z0-9._/-]{1,12}"),
        any::<bool>(),
    )
        .prop_map(move |(kind, data, name, charset, location, has_id)| Part {
            content_type: kind.to_string(),
            charset: charset.filter(|_| kind.starts_with("text/")),
            name,
            content_id: has_id.then(|| format!("part{index}@gen")),
            content_location: location,
            body: PartBody::Data(data),
        })
}

/// Content named `content@gen`: a single part, or a multipart/related or mixed of up to four parts.
fn content() -> impl Strategy<Value = Part> {
    let parts = || {
        (leaf(0), leaf(1), leaf(2), leaf(3), 1..=4usize).prop_map(|(a, b, c, d, count)| {
            [a, b, c, d].into_iter().take(count).collect::<Vec<_>>()
        })
    };
    prop_oneof![
        leaf(9),
        parts().prop_map(|mut parts| {
            parts[0].content_id = Some("smil@gen".into());
            Part::related(parts)
        }),
        parts().prop_map(Part::mixed),
    ]
    .prop_map(|part| part.with_content_id("content@gen"))
}

fn content_ref() -> impl Strategy<Value = ContentRef> {
    option::of(any::<bool>()).prop_map(|allow| ContentRef {
        href: "cid:content@gen".into(),
        allow_adaptations: allow,
    })
}

fn submit() -> BoxedStrategy<SubmitReq> {
    (
        (
            sender_identification(),
            recipients(),
            opt_text(),
            opt_text(),
            opt_text(),
        ),
        (
            option::of(prop_oneof![
                Just(MessageClass::Personal),
                Just(MessageClass::Advertisement),
                other_value().prop_map(MessageClass::Other)
            ]),
            option::of(
                (opt_text(), opt_text())
                    .prop_map(|(size, deadline)| ReplyCharging { size, deadline }),
            ),
            opt_text(),
            opt_text(),
            option::of(any::<bool>()),
            option::of(any::<bool>()),
        ),
        (
            priority(),
            opt_text(),
            option::of(prop_oneof![
                Just(ChargedParty::Both),
                Just(ChargedParty::ThirdParty),
                other_value().prop_map(ChargedParty::Other)
            ]),
            opt_text(),
            option::of(any::<bool>()),
            applications(),
            opt_text(),
            option::of(any::<bool>()),
        ),
        prop::collection::vec(any::<u32>(), 0..3),
    )
        .prop_map(|(a, b, c, delivery_condition)| SubmitReq {
            sender_identification: a.0,
            recipients: a.1,
            service_code: a.2,
            linked_id: a.3,
            time_stamp: a.4,
            message_class: b.0,
            reply_charging: b.1,
            earliest_delivery_time: b.2,
            expiry_date: b.3,
            delivery_report: b.4,
            read_reply: b.5,
            priority: c.0,
            subject: c.1,
            charged_party: c.2,
            charged_party_id: c.3,
            distribution_indicator: c.4,
            delivery_condition,
            application: c.5,
            content_class: c.6,
            drm_content: c.7,
            content: None,
        })
        .boxed()
}

fn deliver() -> BoxedStrategy<DeliverReq> {
    (
        (opt_text(), opt_text(), opt_text(), opt_text(), address()),
        (
            option::of(recipients()),
            opt_text(),
            opt_text(),
            opt_text(),
            opt_text(),
        ),
        (priority(), opt_text(), applications()),
        option::of(
            (opt_text(), opt_text()).prop_map(|(ua_prof, time_stamp)| UaCapabilities {
                ua_prof,
                time_stamp,
            }),
        ),
    )
        .prop_map(|(a, b, c, ua)| DeliverReq {
            relay_server_id: a.0,
            vasp_id: a.1,
            vas_id: a.2,
            linked_id: a.3,
            sender: a.4,
            recipients: b.0,
            sender_spi: b.1,
            recipient_spi: b.2,
            time_stamp: b.3,
            reply_charging_id: b.4,
            priority: c.0,
            subject: c.1,
            application: c.2,
            ua_capabilities: ua,
            content: None,
        })
        .boxed()
}

fn mm_status() -> impl Strategy<Value = MmStatus> {
    prop_oneof![
        Just(MmStatus::Retrieved),
        Just(MmStatus::Expired),
        Just(MmStatus::Read),
        other_value().prop_map(MmStatus::Other)
    ]
}

fn body() -> BoxedStrategy<Body> {
    let report = (
        (opt_text(), text(), address(), address(), text()),
        (mm_status(), opt_text(), opt_text(), applications()),
    )
        .prop_map(|(a, b)| {
            Body::DeliveryReportReq(DeliveryReportReq {
                relay_server_id: a.0,
                message_id: a.1,
                recipient: a.2,
                sender: a.3,
                date: a.4,
                mm_status: b.0,
                mm_status_extension: b.1,
                status_text: b.2,
                application: b.3,
                ua_capabilities: None,
            })
        })
        .boxed();
    let read_reply = (
        (opt_text(), text(), address(), address(), text()),
        (mm_status(), opt_text(), applications()),
    )
        .prop_map(|(a, b)| {
            Body::ReadReplyReq(ReadReplyReq {
                relay_server_id: a.0,
                message_id: a.1,
                recipient: a.2,
                sender: a.3,
                time_stamp: a.4,
                mm_status: b.0,
                status_text: b.1,
                application: b.2,
            })
        })
        .boxed();
    let replace = (
        (
            sender_identification(),
            text(),
            opt_text(),
            opt_text(),
            opt_text(),
        ),
        (
            option::of(any::<bool>()),
            option::of(any::<bool>()),
            opt_text(),
            option::of(any::<bool>()),
        ),
    )
        .prop_map(|(a, b)| {
            Body::ReplaceReq(ReplaceReq {
                sender_identification: a.0,
                message_id: a.1,
                service_code: a.2,
                time_stamp: a.3,
                earliest_delivery_time: a.4,
                read_reply: b.0,
                distribution_indicator: b.1,
                content_class: b.2,
                drm_content: b.3,
                content: None,
            })
        })
        .boxed();
    let status_rsp = || status().prop_map(|status| StatusRsp { status });
    prop_oneof![
        submit().prop_map(Body::SubmitReq),
        (status(), opt_text())
            .prop_map(|(status, message_id)| Body::SubmitRsp(SubmitRsp { status, message_id })),
        deliver().prop_map(Body::DeliverReq),
        (status(), opt_text()).prop_map(|(status, service_code)| Body::DeliverRsp(DeliverRsp {
            status,
            service_code
        })),
        report,
        status_rsp().prop_map(Body::DeliveryReportRsp),
        read_reply,
        status_rsp().prop_map(Body::ReadReplyRsp),
        (sender_identification(), text()).prop_map(|(sender_identification, message_id)| {
            Body::CancelReq(CancelReq {
                sender_identification,
                message_id,
            })
        }),
        status_rsp().prop_map(Body::CancelRsp),
        replace,
        status_rsp().prop_map(Body::ReplaceRsp),
        (opt_text(), status()).prop_map(|(relay_server_id, status)| Body::RsErrorRsp(RsErrorRsp {
            relay_server_id,
            status
        })),
        (opt_text(), opt_text(), status()).prop_map(|(vasp_id, vas_id, status)| {
            Body::VaspErrorRsp(VaspErrorRsp {
                vasp_id,
                vas_id,
                status,
            })
        }),
    ]
    .boxed()
}

fn envelope() -> impl Strategy<Value = Envelope> {
    (
        text(),
        prop::sample::select(Namespace::ALL.to_vec()),
        "[0-9]\\.[0-9]{1,2}\\.[0-9]",
        body(),
        option::of((content_ref(), content())),
    )
        .prop_map(
            |(transaction_id, namespace, mm7_version, mut body, content)| {
                let content = content.and_then(|(reference, part)| {
                    let slot = match &mut body {
                        Body::SubmitReq(message) => &mut message.content,
                        Body::DeliverReq(message) => &mut message.content,
                        Body::ReplaceReq(message) => &mut message.content,
                        _ => return None,
                    };
                    *slot = Some(reference);
                    Some(part)
                });
                let mut envelope = Envelope {
                    transaction_id,
                    namespace,
                    mm7_version,
                    body,
                    content,
                };
                // The strict writer refuses fields of later schemas; the schema tests cover that.
                envelope.drop_unsupported();
                envelope
            },
        )
}

fn check_round_trip(envelope: Envelope) -> Result<(), TestCaseError> {
    let written = encode(&envelope).expect("generated messages are writable");
    let read = decode_http(Some(&written.content_type), &written.body);
    prop_assert_eq!(read.as_ref(), Ok(&envelope));
    let again = encode(&envelope).expect("writable twice");
    prop_assert_eq!(&again, &written, "output is reproducible");
    let from_file = decode(&written.to_mime_entity());
    prop_assert_eq!(from_file.as_ref(), Ok(&envelope));
    Ok(())
}

#[test]
fn generated_messages_round_trip() {
    // The generated value trees of these wide structs need more than the 2 MiB of a test thread in
    // debug builds.
    let run = || {
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(300));
        runner
            .run(&envelope(), check_round_trip)
            .map_err(|failure| failure.to_string())
    };
    let outcome = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(run)
        .expect("spawn")
        .join()
        .expect("no panic");
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}
