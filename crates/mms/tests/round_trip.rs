//! encode → decode → encode is byte-identical, and decode gives back the PDU, for every message type with
//! arbitrary headers of every field kind, unknown and application headers, and multipart or single bodies.

use canvass_mms::field::{FIELDS, Kind, code};
use canvass_mms::wsp::{self, HeaderName, HeaderValue, Media, ParamName, ParamValue};
use canvass_mms::{
    Body, Content, ContentType, EncodedString, Field, Header, MESSAGE_TYPES, Parameter, Part, Pdu,
};
use canvass_mms::{Time, Value, decode, encode, version_octet};
use proptest::prelude::*;

fn text() -> impl Strategy<Value = String> {
    "[^\u{0}]{0,24}"
}

fn encoded() -> impl Strategy<Value = EncodedString> {
    prop_oneof![
        text().prop_map(EncodedString::plain),
        text().prop_map(EncodedString::utf8),
        "[ -~]{0,20}".prop_map(|t| EncodedString {
            charset: Some(wsp::charset::US_ASCII),
            text: t
        }),
        "[\u{1}-\u{ff}]{0,20}".prop_map(|t| EncodedString {
            charset: Some(wsp::charset::ISO_8859_1),
            text: t
        }),
        "[^\u{0}\u{feff}\u{fffe}]{0,20}".prop_map(|t| EncodedString {
            charset: Some(wsp::charset::UCS_2),
            text: t
        }),
        // Shift_JIS (MIBenum 17), through encoding_rs; ISO-2022-JP starts with ESC, which needs the quote.
        "[a-z ぁ-んァ-ヶ]{0,12}".prop_map(|t| EncodedString {
            charset: Some(17),
            text: t
        }),
        "[a-z ぁ-ん]{0,12}".prop_map(|t| EncodedString {
            charset: Some(39),
            text: t
        }),
    ]
}

fn token() -> impl Strategy<Value = u8> {
    0x80u8..=0xFF
}

fn parameter() -> impl Strategy<Value = Parameter> {
    let name = prop_oneof![
        (1u32..0x20).prop_map(ParamName::Code),
        (0x20u32..100_000).prop_map(ParamName::Code),
        "[a-z][a-z0-9-]{0,10}".prop_map(ParamName::Text),
    ];
    let value = prop_oneof![
        any::<u64>().prop_map(ParamValue::Integer),
        text().prop_map(ParamValue::Text)
    ];
    (name, value).prop_map(|(name, value)| Parameter { name, value })
}

fn value_of(kind: Kind) -> BoxedStrategy<Value> {
    match kind {
        Kind::Octet => token().prop_map(Value::Octet).boxed(),
        Kind::LongInteger => any::<u64>().prop_map(Value::Long).boxed(),
        Kind::IntegerValue => any::<u64>().prop_map(Value::Integer).boxed(),
        Kind::Text => text().prop_map(Value::Text).boxed(),
        Kind::Encoded => encoded().prop_map(Value::Encoded).boxed(),
        Kind::From => proptest::option::of(encoded())
            .prop_map(Value::From)
            .boxed(),
        Kind::Time => prop_oneof![
            any::<u64>().prop_map(|t| Value::Time(Time::Absolute(t))),
            any::<u64>().prop_map(|t| Value::Time(Time::Relative(t))),
        ]
        .boxed(),
        Kind::CountedAddress => (any::<u64>(), encoded())
            .prop_map(|(n, a)| Value::CountedAddress(n, a))
            .boxed(),
        Kind::CountedDate => (any::<u64>(), any::<u64>())
            .prop_map(|(n, d)| Value::CountedDate(n, d))
            .boxed(),
        Kind::Flag => (token(), encoded())
            .prop_map(|(t, k)| Value::Flag(t, k))
            .boxed(),
        Kind::Quantity => (token(), any::<u64>())
            .prop_map(|(t, n)| Value::Quantity(t, n))
            .boxed(),
        Kind::ClassOrText => {
            prop_oneof![token().prop_map(Value::Octet), text().prop_map(Value::Text)].boxed()
        }
        Kind::ElementDescriptor => (text(), proptest::collection::vec(parameter(), 0..3))
            .prop_map(|(r, p)| Value::ElementDescriptor(r, p))
            .boxed(),
        Kind::ContentType | Kind::Generic => generic().prop_map(Value::Generic).boxed(),
    }
}

fn generic() -> impl Strategy<Value = HeaderValue> {
    prop_oneof![
        (0u8..0x80).prop_map(HeaderValue::Short),
        text().prop_map(HeaderValue::Text),
        proptest::collection::vec(any::<u8>(), 0..40).prop_map(HeaderValue::Data),
    ]
}

fn header() -> impl Strategy<Value = Header> {
    let known = proptest::sample::select(
        FIELDS
            .iter()
            .filter(|(c, _, _)| *c != code::CONTENT_TYPE && *c != code::MESSAGE_TYPE)
            .map(|(c, _, k)| (*c, *k))
            .collect::<Vec<_>>(),
    )
    .prop_flat_map(|(c, k)| value_of(k).prop_map(move |v| Header::new(c, v)));
    let unknown = (0x40u8..0x80, generic()).prop_map(|(c, v)| Header::new(c, Value::Generic(v)));
    let application = ("[A-Za-z][A-Za-z0-9-]{0,12}", text()).prop_map(|(n, v)| Header {
        field: Field::Text(n),
        value: Value::Text(v),
    });
    prop_oneof![8 => known, 1 => unknown, 1 => application]
}

fn content_type(multipart: bool) -> BoxedStrategy<ContentType> {
    if multipart {
        let media = proptest::sample::select(vec![
            "application/vnd.wap.multipart.related",
            "application/vnd.wap.multipart.mixed",
            "application/vnd.wap.multipart.alternative",
        ]);
        (media, proptest::collection::vec(parameter(), 0..3))
            .prop_map(|(m, params)| ContentType {
                media: Media::Name(m.into()),
                params,
            })
            .boxed()
    } else {
        let media = prop_oneof![
            proptest::sample::select(vec![
                "text/plain",
                "image/jpeg",
                "image/gif",
                "application/smil",
                "video/3gpp"
            ])
            .prop_map(|m| Media::Name(m.into())),
            (0x53u64..10_000).prop_map(Media::Code),
        ];
        (media, proptest::collection::vec(parameter(), 0..3))
            .prop_map(|(media, params)| ContentType { media, params })
            .boxed()
    }
}

fn part() -> impl Strategy<Value = Part> {
    let part_header = prop_oneof![
        text().prop_map(wsp::Header::content_location),
        "[ -~]{1,20}".prop_map(|t| wsp::Header::content_id(&t)),
        ((0u8..0x80), generic()).prop_map(|(c, value)| wsp::Header {
            name: HeaderName::Code(c),
            value
        }),
        ("[A-Za-z][A-Za-z0-9-]{0,12}", text()).prop_map(|(n, v)| wsp::Header::application(n, v)),
    ];
    (
        content_type(false),
        proptest::collection::vec(part_header, 0..4),
        proptest::collection::vec(any::<u8>(), 0..300),
    )
        .prop_map(|(content_type, headers, data)| Part {
            content_type,
            headers,
            data,
        })
}

fn body() -> impl Strategy<Value = Body> {
    prop_oneof![
        (content_type(true), proptest::collection::vec(part(), 0..5)).prop_map(
            |(content_type, parts)| Body {
                content_type,
                content: Content::Parts(parts)
            }
        ),
        (
            content_type(false),
            proptest::collection::vec(any::<u8>(), 0..200)
        )
            .prop_map(|(content_type, data)| Body {
                content_type,
                content: Content::Single(data)
            }),
    ]
}

fn pdu() -> impl Strategy<Value = Pdu> {
    let message_type =
        proptest::sample::select(MESSAGE_TYPES.iter().map(|(t, _, _)| *t).collect::<Vec<_>>());
    (
        message_type,
        "[ -~]{1,20}",
        0u8..=3,
        proptest::collection::vec(header(), 0..12),
        proptest::option::of(body()),
    )
        .prop_map(|(t, tid, minor, extra, body)| {
            let mut pdu = Pdu::new(t, Some(&tid), (1, minor));
            pdu.headers.extend(extra);
            pdu.body = if t.has_body() { body } else { None };
            pdu
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn encode_decode_encode_is_identical(pdu in pdu()) {
        let first = encode(&pdu).unwrap();
        let decoded = decode(&first).unwrap();
        prop_assert_eq!(&decoded, &pdu);
        prop_assert_eq!(encode(&decoded).unwrap(), first);
    }
}

#[test]
fn every_message_type_round_trips_with_its_typical_headers() {
    for (t, name, _) in MESSAGE_TYPES {
        let pdu = Pdu::new(t, Some("tid-1"), (1, 3))
            .with(code::DATE, Value::Long(1_700_000_000))
            .with(
                code::FROM,
                Value::From(Some(EncodedString::plain("+15551234567/TYPE=PLMN"))),
            )
            .with(
                code::TO,
                Value::Encoded(EncodedString::plain("alice@example.com")),
            )
            .with(code::SUBJECT, Value::Encoded(EncodedString::utf8("héllo")));
        let bytes = encode(&pdu).unwrap();
        assert_eq!(bytes[..2], [0x8C, t.code()], "{name}");
        assert_eq!(
            bytes[bytes.len() - 3..],
            *b"llo\0".get(1..).unwrap(),
            "{name}"
        );
        assert_eq!(decode(&bytes).unwrap(), pdu, "{name}");
        assert_eq!(pdu.version(), Some((1, 3)));
        assert_eq!(version_octet(1, 3), 0x93);
    }
}
