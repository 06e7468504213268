//! Bad input gives a typed error that says where, and never a panic.

mod common;

use canvass_mm7::*;

fn kind_of(result: Result<Envelope, Error>) -> ErrorKind {
    result.unwrap_err().kind().clone()
}

#[test]
fn malformed_xml() {
    let error = decode(b"<Envelope><Body><SubmitRsp></Body></Envelope>").unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Xml(_)), "{error}");
    assert_eq!(error.location(), "SOAP part");
}

#[test]
fn dtd_is_refused() {
    let input = br#"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><Envelope/>"#;
    assert!(matches!(kind_of(decode(input)), ErrorKind::Xml(_)));
}

#[test]
fn missing_status_code_names_the_path() {
    let error =
        decode(b"<Envelope><Body><SubmitRsp><Status/></SubmitRsp></Body></Envelope>").unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::MissingElement("StatusCode"));
    assert_eq!(
        error.location(),
        "Envelope/Body/SubmitRsp/Status/StatusCode"
    );
}

#[test]
fn bad_values() {
    let code = decode(b"<Envelope><Body><CancelRsp><Status><StatusCode>ok</StatusCode></Status></CancelRsp></Body></Envelope>");
    assert!(matches!(
        kind_of(code),
        ErrorKind::InvalidValue {
            field: "StatusCode",
            ..
        }
    ));
    let flag = decode(b"<Body><SubmitReq><ReadReply>maybe</ReadReply></SubmitReq></Body>");
    assert!(matches!(kind_of(flag), ErrorKind::UnknownMessage(name) if name == "Body"));
    let flag = decode(b"<SubmitReq><ReadReply>maybe</ReadReply></SubmitReq>");
    assert!(matches!(
        kind_of(flag),
        ErrorKind::InvalidValue {
            field: "ReadReply",
            ..
        }
    ));
}

#[test]
fn unknown_message_and_soap_fault() {
    let unknown = decode(b"<Envelope><Body><FrobnicateReq/></Body></Envelope>");
    assert_eq!(
        kind_of(unknown),
        ErrorKind::UnknownMessage("FrobnicateReq".into())
    );
    let fault = decode(
        b"<Envelope><Body><Fault><faultcode>Client</faultcode><faultstring>nope</faultstring></Fault></Body></Envelope>",
    );
    assert!(matches!(kind_of(fault), ErrorKind::NotSoap(text) if text.contains("nope")));
    let empty = decode(b"<Envelope><Body/></Envelope>");
    assert!(matches!(kind_of(empty), ErrorKind::NotSoap(_)));
}

#[test]
fn missing_content_part_and_wrong_cid() {
    let envelope = &common::every_message(&Namespace::Rel6(4))[0];
    let written = encode(envelope).unwrap();
    let body = String::from_utf8_lossy(&written.body).into_owned();
    let wrong_cid = body.replace(
        "Content-ID: <content@canvass>",
        "Content-ID: <other@canvass>",
    );
    let error = decode_http(Some(&written.content_type), wrong_cid.as_bytes()).unwrap_err();
    assert_eq!(
        error.kind(),
        &ErrorKind::MissingContent("content@canvass".into())
    );

    // Only the SOAP part: cut everything after it.
    let boundary = "--=_canvass_mm7_0_0";
    let second = body.match_indices(boundary).nth(1).unwrap().0;
    let soap_only = format!("{}{boundary}--\r\n", &body[..second]);
    let error = decode_http(Some(&written.content_type), soap_only.as_bytes()).unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::MissingContent(_)));
}

#[test]
fn writer_refuses_inconsistent_content() {
    let mut envelope = common::every_message(&Namespace::Rel6(4))[0].clone();
    if let Some(content) = envelope.content.as_mut() {
        content.content_id = Some("elsewhere".into());
    }
    assert!(matches!(
        encode(&envelope).unwrap_err().kind(),
        ErrorKind::ContentMismatch(_)
    ));
    envelope.content = None;
    assert!(matches!(
        encode(&envelope).unwrap_err().kind(),
        ErrorKind::MissingContent(_)
    ));
    let mut response = common::every_message(&Namespace::Rel6(4))[1].clone();
    response.content = Some(Part::data("text/plain", b"x".to_vec()));
    assert!(matches!(
        encode(&response).unwrap_err().kind(),
        ErrorKind::ContentMismatch(_)
    ));
}

#[test]
fn writer_refuses_what_cannot_be_well_formed() {
    let mut envelope = common::every_message(&Namespace::Rel6(4))[1].clone();
    envelope.transaction_id = "bell\u{7}".into();
    assert!(matches!(
        encode(&envelope).unwrap_err().kind(),
        ErrorKind::InvalidValue { .. }
    ));
    let mut with_content = common::every_message(&Namespace::Rel6(4))[0].clone();
    if let Some(content) = with_content.content.as_mut() {
        content.content_type = "image/jpeg\r\nX-Injected: 1".into();
    }
    assert!(matches!(
        encode(&with_content).unwrap_err().kind(),
        ErrorKind::InvalidValue { .. }
    ));
}

#[test]
fn writer_refuses_a_submit_without_recipients() {
    let mut envelope = common::every_message(&Namespace::Rel6(4))[0].clone();
    if let Body::SubmitReq(submit) = &mut envelope.body {
        submit.recipients = Recipients::default();
    }
    let error = encode(&envelope).unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::MissingElement("Recipients/To"));
}

#[test]
fn size_cap() {
    let limits = Limits {
        max_message_bytes: 10,
        ..Limits::default()
    };
    let error = decode_with_limits(&[b'<'; 11], &limits).unwrap_err();
    assert_eq!(
        error.kind(),
        &ErrorKind::TooLarge {
            size: 11,
            limit: 10
        }
    );
}

#[test]
fn part_count_and_depth_caps() {
    let envelope = &common::every_message(&Namespace::Rel6(4))[0];
    let written = encode(envelope).unwrap();
    let few_parts = Limits {
        max_parts: 2,
        ..Limits::default()
    };
    let error = decode_http_with_limits(Some(&written.content_type), &written.body, &few_parts)
        .unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Mime(text) if text.contains("too many")));
    let shallow = Limits {
        max_depth: 1,
        ..Limits::default()
    };
    let error =
        decode_http_with_limits(Some(&written.content_type), &written.body, &shallow).unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Mime(text) if text.contains("deeply")));
}

#[test]
fn garbage_never_panics() {
    let written = encode(&common::every_message(&Namespace::Rel6(4))[0]).unwrap();
    let entity = written.to_mime_entity();
    for cut in (0..entity.len()).step_by(7) {
        let _ = decode(&entity[..cut]);
        let _ = decode_http(
            Some(&written.content_type),
            &written.body[..cut.min(written.body.len())],
        );
    }
    for input in [
        &b""[..],
        b"\0\0\0",
        b"Content-Type: multipart/related\r\n\r\n",
        b"<",
        b"<a:b/>",
    ] {
        assert!(decode(input).is_err());
    }
}

#[test]
fn deep_nesting_is_refused_or_read_without_overflow() {
    let depth = 50_000;
    let xml = format!(
        "<Envelope><Body><SubmitRsp><Status><StatusCode>1000</StatusCode><Details>{}x{}</Details></Status></SubmitRsp></Body></Envelope>",
        "<a>".repeat(depth),
        "</a>".repeat(depth)
    );
    let envelope = decode(xml.as_bytes()).unwrap();
    assert_eq!(
        envelope.body.status().unwrap().details.as_deref(),
        Some("x")
    );

    let mut mime = String::from(
        "Content-Type: multipart/related; boundary=b0\r\n\r\n--b0\r\nContent-Type: text/xml\r\n\r\n<SubmitRsp><Status><StatusCode>1000</StatusCode></Status></SubmitRsp>\r\n",
    );
    for level in 0..200 {
        mime.push_str(&format!(
            "--b{level}\r\nContent-Type: multipart/mixed; boundary=b{}\r\n\r\n",
            level + 1
        ));
    }
    assert!(decode(mime.as_bytes()).is_err());
}
