//! Realistic PDUs of every message type (OMA-MMS-ENC 1.3 clause 6: the mandatory headers and the usual
//! optional ones), plus generated send-reqs with varied contents.

use canvass_mms::field::code;
use canvass_mms::smil::{Layout, Slide, Visual};
use canvass_mms::wsp::charset;
use canvass_mms::{
    Body, Content, ContentType, EncodedString, MessageType as T, Pdu, Time, Value, body,
};

const YES: Value = Value::Octet(0x80);
const NO: Value = Value::Octet(0x81);

fn enc(s: &str) -> Value {
    Value::Encoded(EncodedString::plain(s))
}

fn utf8(s: &str) -> Value {
    Value::Encoded(EncodedString::utf8(s))
}

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

fn jpeg(len: usize, seed: u8) -> Vec<u8> {
    let mut data = vec![0xFF, 0xD8, 0xFF, 0xE0];
    data.extend((0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)));
    data.extend_from_slice(&[0xFF, 0xD9]);
    data
}

/// A multipart/related slideshow: SMIL, one image and one text per slide.
pub fn slideshow(slides: usize, image_len: usize) -> Body {
    let mut parts = Vec::new();
    let mut layout = Vec::new();
    for i in 0..slides {
        let image = format!("image{i}.jpg");
        let caption = format!("text{i}.txt");
        parts.push(body::media_part(
            "image/jpeg",
            &image,
            jpeg(image_len, i as u8),
        ));
        parts.push(body::media_part(
            "text/plain",
            &caption,
            format!("Slide {i}: vote on Tuesday!").into_bytes(),
        ));
        layout.push(Slide {
            visual: Some(Visual::Image(image)),
            text: Some(caption),
            duration_ms: 5000,
        });
    }
    body::related(
        &canvass_mms::smil::generate(&layout, Layout::default()),
        parts,
    )
}

fn send_req() -> Pdu {
    Pdu::new(T::SendReq, Some("send-0001"), (1, 3))
        .with(code::DATE, Value::Long(1_764_000_000))
        .with(code::FROM, Value::From(None))
        .with(code::TO, enc("+15551230001/TYPE=PLMN"))
        .with(code::TO, enc("+15551230002/TYPE=PLMN"))
        .with(code::CC, enc("alice@example.com"))
        .with(code::SUBJECT, utf8("Élection: your polling place"))
        .with(code::MESSAGE_CLASS, Value::Octet(0x80))
        .with(code::EXPIRY, Value::Time(Time::Relative(86_400)))
        .with(code::PRIORITY, Value::Octet(0x81))
        .with(code::SENDER_VISIBILITY, Value::Octet(0x81))
        .with(code::DELIVERY_REPORT, YES)
        .with(code::READ_REPORT, NO)
        .with_body(slideshow(2, 2_000))
}

fn retrieve_conf() -> Pdu {
    Pdu::new(T::RetrieveConf, Some("retr-7"), (1, 2))
        .with(code::MESSAGE_ID, text("msg-0001@mmsc"))
        .with(
            code::FROM,
            Value::From(Some(EncodedString::plain("+15551230009/TYPE=PLMN"))),
        )
        .with(code::TO, enc("+15551230001/TYPE=PLMN"))
        .with(code::DATE, Value::Long(1_764_000_100))
        .with(code::SUBJECT, enc("Your ballot"))
        .with(code::MESSAGE_CLASS, Value::Octet(0x80))
        .with(code::PRIORITY, Value::Octet(0x82))
        .with(code::DELIVERY_REPORT, NO)
        .with(code::READ_REPORT, NO)
        .with_body(slideshow(1, 5_000))
}

fn notification_ind(location: &str) -> Pdu {
    Pdu::new(T::NotificationInd, Some("notif-42"), (1, 2))
        .with(
            code::FROM,
            Value::From(Some(EncodedString::plain("+15551230009/TYPE=PLMN"))),
        )
        .with(code::SUBJECT, enc("Picture message"))
        .with(code::DELIVERY_REPORT, NO)
        .with(code::MESSAGE_CLASS, Value::Octet(0x80))
        .with(code::PRIORITY, Value::Octet(0x81))
        .with(code::MESSAGE_SIZE, Value::Long(31_337))
        .with(code::EXPIRY, Value::Time(Time::Relative(172_800)))
        .with(code::CONTENT_LOCATION, text(location))
}

/// A ~300 KB m-send-req: 3 slides, each a 100 KB image and a caption.
pub fn large_send_req() -> Pdu {
    Pdu::new(T::SendReq, Some("large-1"), (1, 2))
        .with(code::FROM, Value::From(None))
        .with(code::TO, enc("+15551230001/TYPE=PLMN"))
        .with(code::SUBJECT, enc("Large"))
        .with_body(slideshow(3, 100_000))
}

/// Notifications short enough for one SMS and long enough for several.
pub fn notifications() -> Vec<(String, Pdu)> {
    vec![
        (
            "notification-short".into(),
            notification_ind("http://mmsc.example.com/m/a1"),
        ),
        (
            "notification-long".into(),
            notification_ind(&format!(
                "http://mmsc.example.com/retrieve?id={}",
                "0123456789abcdef".repeat(12)
            )),
        ),
    ]
}

/// One PDU of each of the 24 message types, plus variants (charsets, address kinds, bodies).
pub fn all() -> Vec<(String, Pdu)> {
    let tid = Some("tx-9");
    let mut out: Vec<(String, Pdu)> = vec![
        ("send-req".into(), send_req()),
        (
            "send-conf".into(),
            Pdu::new(T::SendConf, tid, (1, 2))
                .with(code::RESPONSE_STATUS, Value::Octet(0x80))
                .with(code::RESPONSE_TEXT, enc("Accepted"))
                .with(code::MESSAGE_ID, text("msg-0001@mmsc")),
        ),
        ("notification-ind".into(), notifications().remove(0).1),
        (
            "notifyresp-ind".into(),
            Pdu::new(T::NotifyRespInd, tid, (1, 2))
                .with(code::STATUS, Value::Octet(0x81))
                .with(code::REPORT_ALLOWED, YES),
        ),
        ("retrieve-conf".into(), retrieve_conf()),
        (
            "acknowledge-ind".into(),
            Pdu::new(T::AcknowledgeInd, tid, (1, 2)).with(code::REPORT_ALLOWED, NO),
        ),
        (
            "delivery-ind".into(),
            Pdu::new(T::DeliveryInd, None, (1, 2))
                .with(code::MESSAGE_ID, text("msg-0001@mmsc"))
                .with(code::TO, enc("+15551230001/TYPE=PLMN"))
                .with(code::DATE, Value::Long(1_764_000_200))
                .with(code::STATUS, Value::Octet(0x81)),
        ),
        (
            "read-rec-ind".into(),
            Pdu::new(T::ReadRecInd, None, (1, 2))
                .with(code::MESSAGE_ID, text("msg-0001@mmsc"))
                .with(code::TO, enc("+15551230009/TYPE=PLMN"))
                .with(code::FROM, Value::From(None))
                .with(code::DATE, Value::Long(1_764_000_300))
                .with(code::READ_STATUS, Value::Octet(0x80)),
        ),
        (
            "read-orig-ind".into(),
            Pdu::new(T::ReadOrigInd, None, (1, 2))
                .with(code::MESSAGE_ID, text("msg-0001@mmsc"))
                .with(code::TO, enc("+15551230009/TYPE=PLMN"))
                .with(
                    code::FROM,
                    Value::From(Some(EncodedString::plain("+15551230001/TYPE=PLMN"))),
                )
                .with(code::DATE, Value::Long(1_764_000_300))
                .with(code::READ_STATUS, Value::Octet(0x80)),
        ),
        (
            "forward-req".into(),
            Pdu::new(T::ForwardReq, tid, (1, 2))
                .with(code::DATE, Value::Long(1_764_000_400))
                .with(code::FROM, Value::From(None))
                .with(code::TO, enc("bob@example.org"))
                .with(code::EXPIRY, Value::Time(Time::Absolute(1_764_086_400)))
                .with(code::DELIVERY_REPORT, YES)
                .with(code::READ_REPORT, YES)
                .with(code::CONTENT_LOCATION, text("http://mmsc.example.com/m/a1")),
        ),
        (
            "forward-conf".into(),
            Pdu::new(T::ForwardConf, tid, (1, 2))
                .with(code::RESPONSE_STATUS, Value::Octet(0x80))
                .with(code::MESSAGE_ID, text("msg-0002@mmsc")),
        ),
        (
            "mbox-store-req".into(),
            Pdu::new(T::MboxStoreReq, tid, (1, 2))
                .with(code::CONTENT_LOCATION, text("http://mmsc.example.com/m/a1"))
                .with(code::MM_STATE, Value::Octet(0x82))
                .with(
                    code::MM_FLAGS,
                    Value::Flag(0x80, EncodedString::plain("important")),
                ),
        ),
        (
            "mbox-store-conf".into(),
            Pdu::new(T::MboxStoreConf, tid, (1, 2))
                .with(
                    code::CONTENT_LOCATION,
                    text("http://mmsc.example.com/box/1"),
                )
                .with(code::STORE_STATUS, Value::Octet(0x80))
                .with(code::STORE_STATUS_TEXT, enc("stored")),
        ),
        (
            "mbox-view-req".into(),
            Pdu::new(T::MboxViewReq, tid, (1, 2))
                .with(code::MM_STATE, Value::Octet(0x82))
                .with(code::START, Value::Integer(0))
                .with(code::LIMIT, Value::Integer(10))
                .with(code::ATTRIBUTES, Value::Octet(0x80 | code::SUBJECT))
                .with(code::TOTALS, YES)
                .with(code::QUOTAS, YES),
        ),
        (
            "mbox-view-conf".into(),
            Pdu::new(T::MboxViewConf, tid, (1, 2))
                .with(code::RESPONSE_STATUS, Value::Octet(0x80))
                .with(code::MESSAGE_COUNT, Value::Integer(1))
                .with(code::MBOX_TOTALS, Value::Quantity(0x80, 1))
                .with(code::MBOX_QUOTAS, Value::Quantity(0x81, 1_000_000))
                .with_body(mbox_descr_body()),
        ),
        (
            "mbox-upload-req".into(),
            Pdu::new(T::MboxUploadReq, tid, (1, 2))
                .with(code::MM_STATE, Value::Octet(0x80))
                .with(
                    code::MM_FLAGS,
                    Value::Flag(0x80, EncodedString::plain("draft")),
                )
                .with_body(Body {
                    content_type: ContentType::new("application/vnd.wap.mms-message"),
                    content: Content::Single(canvass_mms::encode(&send_req()).unwrap()),
                }),
        ),
        (
            "mbox-upload-conf".into(),
            Pdu::new(T::MboxUploadConf, tid, (1, 2))
                .with(
                    code::CONTENT_LOCATION,
                    text("http://mmsc.example.com/box/2"),
                )
                .with(code::STORE_STATUS, Value::Octet(0x80)),
        ),
        (
            "mbox-delete-req".into(),
            Pdu::new(T::MboxDeleteReq, tid, (1, 2))
                .with(
                    code::CONTENT_LOCATION,
                    text("http://mmsc.example.com/box/1"),
                )
                .with(
                    code::CONTENT_LOCATION,
                    text("http://mmsc.example.com/box/2"),
                ),
        ),
        (
            "mbox-delete-conf".into(),
            Pdu::new(T::MboxDeleteConf, tid, (1, 2))
                .with(code::RESPONSE_STATUS, Value::Octet(0x80)),
        ),
        ("mbox-descr".into(), mbox_descr()),
        (
            "delete-req".into(),
            Pdu::new(T::DeleteReq, tid, (1, 3))
                .with(code::CONTENT_LOCATION, text("http://mmsc.example.com/m/a1")),
        ),
        (
            "delete-conf".into(),
            Pdu::new(T::DeleteConf, tid, (1, 3)).with(code::RESPONSE_STATUS, Value::Octet(0x80)),
        ),
        (
            "cancel-req".into(),
            Pdu::new(T::CancelReq, tid, (1, 3)).with(code::CANCEL_ID, text("msg-0001@mmsc")),
        ),
        (
            "cancel-conf".into(),
            Pdu::new(T::CancelConf, tid, (1, 3)).with(code::CANCEL_STATUS, Value::Octet(0x80)),
        ),
    ];
    out.extend(variants());
    out
}

fn mbox_descr() -> Pdu {
    Pdu::new(T::MboxDescr, None, (1, 2))
        .with(
            code::CONTENT_LOCATION,
            text("http://mmsc.example.com/box/1"),
        )
        .with(code::MESSAGE_ID, text("msg-0001@mmsc"))
        .with(code::MM_STATE, Value::Octet(0x82))
        .with(code::DATE, Value::Long(1_764_000_500))
        .with(
            code::FROM,
            Value::From(Some(EncodedString::plain("+15551230009/TYPE=PLMN"))),
        )
        .with(code::SUBJECT, enc("Stored message"))
        .with(code::MESSAGE_SIZE, Value::Long(12_345))
}

fn mbox_descr_body() -> Body {
    let descr = canvass_mms::encode(&mbox_descr()).unwrap();
    body::mixed(vec![canvass_mms::Part::new(
        ContentType::new("application/vnd.wap.mms-message"),
        descr,
    )])
}

/// Charsets, address kinds, times, MMS 1.3 fields, multipart/mixed, and generated contents.
fn variants() -> Vec<(String, Pdu)> {
    let base =
        |tid: &str| Pdu::new(T::SendReq, Some(tid), (1, 2)).with(code::FROM, Value::From(None));
    let mut out = vec![
        (
            "send-req-ucs2".into(),
            base("v-ucs2")
                .with(code::TO, enc("+15551230001/TYPE=PLMN"))
                .with(
                    code::SUBJECT,
                    Value::Encoded(EncodedString {
                        charset: Some(charset::UCS_2),
                        text: "Héllo wörld".into(),
                    }),
                )
                .with_body(slideshow(1, 100)),
        ),
        (
            "send-req-latin1".into(),
            base("v-latin1")
                .with(code::TO, enc("192.0.2.1/TYPE=IPv4"))
                .with(
                    code::SUBJECT,
                    Value::Encoded(EncodedString {
                        charset: Some(charset::ISO_8859_1),
                        text: "café".into(),
                    }),
                )
                .with_body(slideshow(1, 100)),
        ),
        (
            "send-req-ipv6".into(),
            base("v-ipv6")
                .with(code::TO, enc("2001:db8::1/TYPE=IPv6"))
                .with(code::BCC, enc("carol@example.net"))
                .with(
                    code::DELIVERY_TIME,
                    Value::Time(Time::Absolute(1_764_100_000)),
                )
                .with(code::EXPIRY, Value::Time(Time::Absolute(1_764_200_000)))
                .with_body(slideshow(3, 300)),
        ),
        (
            "send-req-mixed".into(),
            base("v-mixed")
                .with(code::TO, enc("+15551230001/TYPE=PLMN"))
                .with(code::SUBJECT, enc("mixed"))
                .with_body(body::mixed(vec![
                    body::media_part("text/plain", "a.txt", b"plain text".to_vec()),
                    body::media_part("image/gif", "b.gif", b"GIF89a\x01\x00\x01\x00".to_vec()),
                ])),
        ),
        (
            "send-req-1.3".into(),
            Pdu::new(T::SendReq, Some("v-13"), (1, 3))
                .with(code::FROM, Value::From(None))
                .with(code::TO, enc("+15551230001/TYPE=PLMN"))
                .with(code::CONTENT_CLASS, Value::Octet(0x82))
                .with(code::DRM_CONTENT, NO)
                .with(code::ADAPTATION_ALLOWED, YES)
                .with(code::APPLIC_ID, text("com.example.app"))
                .with(code::REPLY_APPLIC_ID, text("com.example.reply"))
                .with(code::AUX_APPLIC_INFO, text("aux"))
                .with_body(slideshow(1, 1_000)),
        ),
        (
            "notification-ind-1.3".into(),
            Pdu::new(T::NotificationInd, Some("v-n13"), (1, 3))
                .with(code::MESSAGE_CLASS, Value::Octet(0x80))
                .with(code::MESSAGE_SIZE, Value::Long(1000))
                .with(code::EXPIRY, Value::Time(Time::Relative(3600)))
                .with(code::CONTENT_LOCATION, text("http://mmsc.example.com/m/b2"))
                .with(code::DISTRIBUTION_INDICATOR, YES)
                .with(code::RECOMMENDED_RETRIEVAL_MODE, Value::Octet(0x80))
                .with(code::RECOMMENDED_RETRIEVAL_MODE_TEXT, enc("large message"))
                .with(code::REPLACE_ID, text("msg-0000@mmsc"))
                .with(
                    code::ELEMENT_DESCRIPTOR,
                    Value::ElementDescriptor(
                        "<smil>".into(),
                        vec![canvass_mms::Parameter {
                            name: canvass_mms::wsp::ParamName::Text("type".into()),
                            value: canvass_mms::wsp::ParamValue::Text("application/smil".into()),
                        }],
                    ),
                ),
        ),
        (
            "retrieve-conf-forwarded".into(),
            retrieve_conf()
                .with(code::RETRIEVE_STATUS, Value::Octet(0x80))
                .with(
                    code::PREVIOUSLY_SENT_BY,
                    Value::CountedAddress(1, EncodedString::plain("+15551230008/TYPE=PLMN")),
                )
                .with(
                    code::PREVIOUSLY_SENT_DATE,
                    Value::CountedDate(1, 1_763_990_000),
                ),
        ),
    ];
    // Generated contents: varied subjects, recipient counts, slide counts and sizes.
    let mut seed = 0x2545_F491_u32;
    for i in 0..12 {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let slides = 1 + (seed % 3) as usize;
        let size = 50 + (seed % 4000) as usize;
        let mut pdu = base(&format!("gen-{i}-{seed:x}"));
        for r in 0..=(seed % 4) {
            pdu = pdu.with(
                code::TO,
                enc(&format!("+1555{:07}/TYPE=PLMN", seed % 10_000_000 + r)),
            );
        }
        let subject = format!(
            "Generated {i}: {} ✓",
            "vote ".repeat(1 + (seed % 5) as usize)
        );
        pdu = pdu
            .with(code::SUBJECT, utf8(&subject))
            .with_body(slideshow(slides, size));
        out.push((format!("generated-{i}"), pdu));
    }
    out
}
