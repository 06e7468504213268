//! Hand-written inputs in the styles real MMSCs and VASPs send: other prefixes, old namespaces, no MIME,
//! stray whitespace, unknown elements, binary transfer encoding, LF line ends.

use canvass_mm7::*;

const REL5_SUBMIT: &str = r#"<?xml version="1.0" ?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">
  <SOAP-ENV:Header>
    <mm7:TransactionID xmlns:mm7="http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-5-MM7-1-0" SOAP-ENV:mustUnderstand="1">
        vas00001-sub
    </mm7:TransactionID>
  </SOAP-ENV:Header>
  <SOAP-ENV:Body>
    <mm7:SubmitReq xmlns:mm7="http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-5-MM7-1-0">
      <mm7:MM7Version> 5.3.0 </mm7:MM7Version>
      <mm7:VASPID>TNN</mm7:VASPID>
      <mm7:VASID>News</mm7:VASID>
      <mm7:SenderAddress>  12345  </mm7:SenderAddress>
      <mm7:Recipients>
        <mm7:To>
          <mm7:Number>7255441234</mm7:Number>
          <mm7:RFC2822Address displayOnly="TRUE">7255442222@OMMS.com</mm7:RFC2822Address>
        </mm7:To>
        <mm7:Cc><mm7:Number>7255443333</mm7:Number></mm7:Cc>
        <mm7:To><mm7:ShortCode>555</mm7:ShortCode></mm7:To>
      </mm7:Recipients>
      <mm7:ServiceCode>gold-sp33-im42</mm7:ServiceCode>
      <mm7:VendorExtension><mm7:Anything>ignored</mm7:Anything></mm7:VendorExtension>
      <mm7:MessageClass>informational</mm7:MessageClass>
      <mm7:TimeStamp>2002-01-02T09:30:47-05:00</mm7:TimeStamp>
      <mm7:DeliveryReport>1</mm7:DeliveryReport>
      <mm7:Priority>normal</mm7:Priority>
      <mm7:Subject>News for today</mm7:Subject>
      <mm7:Content href="cid:SaturnPics-01020930@news.com" allowAdaptations="True"/>
    </mm7:SubmitReq>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>
"#;

fn rel5_mime(line_end: &str, with_start: bool) -> (String, Vec<u8>) {
    let start = if with_start {
        "; start=\"</tnn-200102/mm7-vasp>\""
    } else {
        ""
    };
    let content_type = format!(
        "multipart/related; boundary=\"NextPart_000_0028_01C19839.84698430\"; type=text/xml{start}"
    );
    let mut body = Vec::new();
    let line = |body: &mut Vec<u8>, text: &str| {
        body.extend_from_slice(text.as_bytes());
        body.extend_from_slice(line_end.as_bytes());
    };
    line(&mut body, "preamble that receivers ignore");
    line(&mut body, "--NextPart_000_0028_01C19839.84698430");
    line(&mut body, "Content-Type:text/xml; charset=\"utf-8\"");
    line(&mut body, "Content-ID: </tnn-200102/mm7-vasp>");
    line(&mut body, "");
    for soap_line in REL5_SUBMIT.lines() {
        line(&mut body, soap_line);
    }
    line(&mut body, "--NextPart_000_0028_01C19839.84698430");
    line(
        &mut body,
        "Content-Type: multipart/mixed; boundary=\"StoryParts 74526 8432 2002-77645\"",
    );
    line(&mut body, "Content-ID:<SaturnPics-01020930@news.com>");
    line(&mut body, "");
    line(&mut body, "--StoryParts 74526 8432 2002-77645");
    line(&mut body, "Content-Type: text/plain; charset=\"us-ascii\"");
    line(&mut body, "Content-Transfer-Encoding: quoted-printable");
    line(&mut body, "");
    line(&mut body, "Science news, new Saturn pictures=3D...");
    line(&mut body, "--StoryParts 74526 8432 2002-77645");
    line(&mut body, "Content-Type: image/gif");
    line(&mut body, "Content-ID:<saturn.gif>");
    line(&mut body, "Content-Transfer-Encoding: binary");
    line(
        &mut body,
        "Content-Disposition: attachment; filename=\"saturn.gif\"",
    );
    line(&mut body, "");
    body.extend_from_slice(b"GIF89a\x00\x01\xFF\r\nraw");
    line(&mut body, "");
    line(&mut body, "--StoryParts 74526 8432 2002-77645--");
    line(&mut body, "");
    line(&mut body, "--NextPart_000_0028_01C19839.84698430--");
    (content_type, body)
}

fn check_rel5_submit(envelope: &Envelope) {
    assert_eq!(envelope.transaction_id, "vas00001-sub");
    assert_eq!(envelope.namespace, Namespace::Rel5(0));
    assert_eq!(envelope.mm7_version, "5.3.0");
    let Body::SubmitReq(submit) = &envelope.body else {
        panic!("not a SubmitReq: {:?}", envelope.body);
    };
    assert_eq!(submit.sender_identification.vasp_id.as_deref(), Some("TNN"));
    assert_eq!(
        submit.sender_identification.sender_address,
        Some(Address::number("12345"))
    );
    assert_eq!(submit.recipients.to.len(), 3);
    assert_eq!(submit.recipients.to[1].display_only, Some(true));
    assert_eq!(submit.recipients.to[2].kind, AddressKind::ShortCode);
    assert_eq!(submit.recipients.cc, vec![Address::number("7255443333")]);
    assert_eq!(submit.message_class, Some(MessageClass::Informational));
    assert_eq!(submit.priority, Some(Priority::Normal));
    assert_eq!(submit.delivery_report, Some(true));
    assert_eq!(
        submit.content.as_ref().unwrap().allow_adaptations,
        Some(true)
    );
}

#[test]
fn rel5_spec_style_submit_with_crlf_mime() {
    let (content_type, body) = rel5_mime("\r\n", true);
    let envelope = decode_http(Some(&content_type), &body).unwrap();
    check_rel5_submit(&envelope);
    let content = envelope.content.unwrap();
    assert_eq!(content.content_type, "multipart/mixed");
    let PartBody::Multipart { parts, .. } = &content.body else {
        panic!("not multipart");
    };
    assert_eq!(parts.len(), 2);
    assert_eq!(
        parts[0].body,
        PartBody::Data(b"Science news, new Saturn pictures=...".to_vec())
    );
    assert_eq!(parts[1].name.as_deref(), Some("saturn.gif"));
    assert_eq!(
        parts[1].body,
        PartBody::Data(b"GIF89a\x00\x01\xFF\r\nraw".to_vec())
    );
}

#[test]
fn lf_line_ends_and_no_start_parameter() {
    let (content_type, body) = rel5_mime("\n", false);
    let envelope = decode_http(Some(&content_type), &body).unwrap();
    check_rel5_submit(&envelope);
    let content = envelope.content.unwrap();
    let leaves = content.leaves();
    assert_eq!(
        leaves[1].body,
        PartBody::Data(b"GIF89a\x00\x01\xFF\r\nraw".to_vec())
    );
}

#[test]
fn bare_soap_without_mime_and_without_content_type() {
    let envelope = decode_http(None, REL5_SUBMIT.as_bytes());
    // The SubmitReq names cid: content, and a bare body has none.
    assert!(matches!(
        envelope.unwrap_err().kind(),
        ErrorKind::MissingContent(id) if id == "SaturnPics-01020930@news.com"
    ));
}

#[test]
fn delivery_report_from_a_sloppy_mmsc() {
    // No XML declaration, a BOM, a `soap` prefix, an undeclared `mm7` prefix on the body, TimeStamp
    // where Date belongs, an unknown element and junk after the envelope.
    let input = "\u{FEFF}\n\n<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">\
        <soap:Header><TransactionID>  abc </TransactionID></soap:Header>\
        <soap:Body><mm7:DeliveryReportReq>\n\t<mm7:MM7Version>6.8.0</mm7:MM7Version>\
        <mm7:MessageID>041502073667</mm7:MessageID>\
        <mm7:Recipient><mm7:Number>+447000000001</mm7:Number></mm7:Recipient>\
        <mm7:Sender><mm7:ShortCode>12345</mm7:ShortCode></mm7:Sender>\
        <mm7:TimeStamp>2026-11-25T10:00:00+00:00</mm7:TimeStamp>\
        <mm7:Extra/>\
        <mm7:MMStatus>Retrieved</mm7:MMStatus>\
        <mm7:StatusText>  delivered\n </mm7:StatusText>\
        </mm7:DeliveryReportReq></soap:Body></soap:Envelope>\r\n\0\0";
    let envelope = decode(input.as_bytes()).unwrap();
    assert_eq!(envelope.transaction_id, "abc");
    let Body::DeliveryReportReq(report) = envelope.body else {
        panic!("wrong type");
    };
    assert_eq!(report.message_id, "041502073667");
    assert_eq!(report.date, "2026-11-25T10:00:00+00:00");
    assert_eq!(report.mm_status, MmStatus::Retrieved);
    assert_eq!(report.status_text.as_deref(), Some("delivered"));
    assert_eq!(report.sender.kind, AddressKind::ShortCode);
}

#[test]
fn response_in_default_namespace_with_unknown_status_code() {
    let input = r#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body>
        <SubmitRsp xmlns="http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-2">
          <Status><StatusCode> 3456 </StatusCode></Status>
          <MessageID>id-1</MessageID>
        </SubmitRsp></e:Body></e:Envelope>"#;
    let envelope = decode_http(Some("text/xml"), input.as_bytes()).unwrap();
    assert_eq!(envelope.namespace, Namespace::Rel6(2));
    assert_eq!(envelope.transaction_id, "");
    let status = envelope.body.status().unwrap();
    assert_eq!(status.code, StatusCode::Unknown(3456));
    assert!(status.code.is_temporary());
    assert_eq!(status.text, "");
}

#[test]
fn latin1_subject_is_read() {
    let mut input = b"<Envelope><Body><DeliverReq><Sender>a@b.c</Sender><Subject>caf".to_vec();
    input.push(0xE9);
    input.extend_from_slice(b"</Subject></DeliverReq></Body></Envelope>");
    let envelope = decode(&input).unwrap();
    let Body::DeliverReq(deliver) = envelope.body else {
        panic!("wrong type");
    };
    assert_eq!(deliver.subject.as_deref(), Some("café"));
    assert_eq!(deliver.sender.kind, AddressKind::Rfc2822);
    assert_eq!(envelope.namespace, Namespace::Other(String::new()));
}

#[test]
fn deliver_without_content_element_gets_its_only_part() {
    let soap = "<Envelope><Body><DeliverReq><Sender><Number>1</Number></Sender></DeliverReq></Body></Envelope>";
    let body = format!(
        "--b\r\nContent-Type: text/xml\r\n\r\n{soap}\r\n--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n"
    );
    let envelope = decode_http(Some("multipart/related; boundary=b"), body.as_bytes()).unwrap();
    let content = envelope.content.unwrap();
    assert_eq!(content.body, PartBody::Data(b"hello".to_vec()));
}

#[test]
fn bare_soap_labelled_multipart() {
    let soap = "<Envelope><Body><CancelRsp><Status><StatusCode>1000</StatusCode></Status></CancelRsp></Body></Envelope>";
    let envelope = decode_http(Some("multipart/related; boundary=zz"), soap.as_bytes()).unwrap();
    assert_eq!(envelope.body.status().unwrap().code, StatusCode::Success);
}

#[test]
fn multipart_body_with_a_lost_or_wrong_header() {
    let written = encode(&canvass_mm7_sample()).unwrap();
    let expected = decode_http(Some(&written.content_type), &written.body).unwrap();
    for content_type in [
        Some("text/xml"),
        Some("multipart/related; boundary=wrong"),
        None,
    ] {
        let read = decode_http(content_type, &written.body).unwrap();
        assert_eq!(read, expected, "{content_type:?}");
    }
    assert_eq!(decode(&written.body).unwrap(), expected);
}

fn canvass_mm7_sample() -> Envelope {
    let submit = SubmitReq {
        recipients: Recipients {
            to: vec![Address::number("+15551230000")],
            ..Recipients::default()
        },
        content: Some(ContentRef::cid("c@x")),
        ..SubmitReq::default()
    };
    Envelope {
        content: Some(Part::data("text/plain", b"hello".to_vec()).with_content_id("c@x")),
        ..Envelope::new("t-1", Namespace::Rel6(0), Body::SubmitReq(submit))
    }
}
