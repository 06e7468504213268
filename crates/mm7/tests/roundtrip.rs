//! write → read gives the same struct, for every message type and every namespace.

mod common;

use canvass_mm7::*;

#[test]
fn every_message_type_round_trips_in_every_namespace() {
    for namespace in Namespace::ALL {
        for envelope in common::every_message(&namespace) {
            let written = encode(&envelope).unwrap();
            let name = envelope.body.element_name();
            let read = decode_http(Some(&written.content_type), &written.body)
                .unwrap_or_else(|error| panic!("{name} in {namespace:?}: {error}"));
            assert_eq!(read, envelope, "{name} in {namespace:?} via HTTP");
            let from_file = decode(&written.to_mime_entity()).unwrap();
            assert_eq!(from_file, envelope, "{name} in {namespace:?} via entity");
        }
    }
}

#[test]
fn content_bytes_survive_exactly() {
    let envelope = &common::every_message(&Namespace::Rel6(4))[0];
    let written = encode(envelope).unwrap();
    let read = decode_http(Some(&written.content_type), &written.body).unwrap();
    let leaves: Vec<Vec<u8>> = read
        .content
        .as_ref()
        .unwrap()
        .leaves()
        .into_iter()
        .map(|part| match &part.body {
            PartBody::Data(data) => data.clone(),
            PartBody::Multipart { .. } => Vec::new(),
        })
        .collect();
    assert_eq!(
        leaves[1],
        vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'\r', b'\n']
    );
    assert_eq!(leaves[2], "Héllo\r\n".as_bytes());
}

#[test]
fn single_part_content_and_mixed_round_trip() {
    let mut submit = SubmitReq::default();
    submit.recipients.to.push(Address::number("+15551230000"));
    submit.content = Some(ContentRef::cid("only"));
    for content in [
        Part::data("image/gif", b"GIF89a".to_vec()).with_content_id("only"),
        Part::mixed(vec![
            Part::data("text/plain", b"hi".to_vec()),
            Part::data("audio/amr", b"#!AMR\n".to_vec()).with_name("a.amr"),
        ])
        .with_content_id("only"),
    ] {
        let envelope = Envelope {
            content: Some(content),
            ..Envelope::new("t", Namespace::Rel5(0), Body::SubmitReq(submit.clone()))
        };
        let written = encode(&envelope).unwrap();
        assert!(written.content_type.starts_with("multipart/related;"));
        assert!(
            written
                .content_type
                .contains("start=\"<mm7-soap@canvass>\"")
        );
        let read = decode_http(Some(&written.content_type), &written.body).unwrap();
        assert_eq!(read, envelope);
    }
}

#[test]
fn responses_are_bare_soap() {
    let envelope = &common::every_message(&Namespace::Rel6(4))[1];
    let written = encode(envelope).unwrap();
    assert_eq!(written.content_type, "text/xml; charset=\"utf-8\"");
    let text = String::from_utf8(written.body.clone()).unwrap();
    assert!(text.contains("env:mustUnderstand=\"1\""));
    assert!(text.contains(
        "xmlns=\"http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4\""
    ));
    assert!(text.contains("<MM7Version>6.8.0</MM7Version>"));
    assert_eq!(decode(&written.body).unwrap(), *envelope);
}
