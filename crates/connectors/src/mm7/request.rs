//! Our message as an MM7 SubmitReq: SOAP envelope plus the content as a multipart/related whose parts keep
//! the order, names and types the caller gave.

use canvass_mm7::{
    Address, AddressKind, Body, ContentRef, Encoded, Envelope, Part, SenderIdentification,
    SubmitReq,
};

use super::Mm7Config;
use crate::{Content, MediaPart, OutboundMessage, SubmitOutcome};

/// The Content-ID of the multipart that the SubmitReq's `Content href` names.
const CONTENT_ID: &str = "content@canvass";

/// Writes the SubmitReq for `message`, or the permanent failure that stops it being sent at all.
pub(crate) fn submit_request(
    config: &Mm7Config,
    message: &OutboundMessage,
) -> Result<Encoded, SubmitOutcome> {
    let refuse = |code: &str, reason: String| SubmitOutcome::PermanentFailure {
        code: code.to_string(),
        reason,
    };
    if let Some(limit) = config.max_message_bytes {
        let size = message.payload_bytes();
        if size > limit {
            return Err(refuse(
                "too_large",
                format!("{size} bytes of content, the MMSC takes at most {limit}"),
            ));
        }
    }
    let (subject, parts) = match &message.content {
        Content::Mms(mms) => (
            mms.subject.clone(),
            mms.parts.iter().enumerate().map(part).collect(),
        ),
        Content::Text(text) => (None, vec![text_part(text)]),
        Content::Rcs(_) => {
            return Err(refuse(
                "unsupported_content",
                "MM7 does not carry RCS content".into(),
            ));
        }
    };
    let envelope = envelope(config, message, subject, parts);
    canvass_mm7::encode(&envelope).map_err(|error| refuse("encode", error.to_string()))
}

fn envelope(
    config: &Mm7Config,
    message: &OutboundMessage,
    subject: Option<String>,
    parts: Vec<Part>,
) -> Envelope {
    let mut submit = SubmitReq {
        sender_identification: SenderIdentification {
            vasp_id: config.vasp_id.clone(),
            vas_id: config.vas_id.clone(),
            sender_address: (!message.from.is_empty()).then(|| address(&message.from)),
        },
        service_code: config.service_code.clone(),
        delivery_report: Some(message.want_receipt),
        subject,
        expiry_date: message
            .validity
            .map(|validity| format!("PT{}S", validity.as_secs().max(1))),
        content: Some(ContentRef::cid(CONTENT_ID)),
        ..SubmitReq::default()
    };
    submit.recipients.to.push(address(&message.to));
    let mut envelope = Envelope::new(
        message.id.clone(),
        config.namespace.clone(),
        Body::SubmitReq(submit),
    );
    if let Some(version) = &config.mm7_version {
        envelope.mm7_version = version.clone();
    }
    envelope.content = Some(related(parts).with_content_id(CONTENT_ID));
    envelope
}

/// A multipart/related whose root is the SMIL when there is one (RFC 2387 `start`), else unnamed.
fn related(parts: Vec<Part>) -> Part {
    let smil = parts
        .iter()
        .position(|p| p.content_type == "application/smil");
    let mut parts = parts;
    if let Some(index) = smil {
        let root = parts.remove(index);
        parts.insert(0, root);
        Part::related(parts)
    } else {
        let mut related = Part::related(parts);
        if let canvass_mm7::PartBody::Multipart { start, .. } = &mut related.body {
            *start = None;
        }
        related
    }
}

/// Short codes (up to 8 digits) are `<ShortCode>`; numbers and anything else `<Number>`.
fn address(value: &str) -> Address {
    let digits = value.bytes().all(|b| b.is_ascii_digit());
    if digits && value.len() <= 8 {
        Address::new(AddressKind::ShortCode, value)
    } else {
        Address::number(value)
    }
}

fn text_part(text: &str) -> Part {
    Part::data("text/plain", text.as_bytes().to_vec())
        .with_charset("utf-8")
        .with_content_id("text1")
        .with_location("text1.txt")
}

/// One media part. The Content-ID is generated (names may hold spaces, which a Content-ID may not); the
/// name travels as Content-Location, which SMIL `src` attributes refer to.
fn part((index, media): (usize, &MediaPart)) -> Part {
    let (media_type, charset) = split_type(&media.content_type);
    let mut part =
        Part::data(media_type, media.data.to_vec()).with_content_id(content_id(index, &media.name));
    if let Some(charset) = charset {
        part = part.with_charset(charset);
    } else if part.content_type.starts_with("text/") {
        part = part.with_charset("utf-8");
    }
    if !media.name.is_empty()
        && media
            .name
            .bytes()
            .all(|b| b.is_ascii_graphic() || b == b' ')
    {
        part = part
            .with_location(media.name.clone())
            .with_name(media.name.clone());
    }
    part
}

/// The name when it is a valid Content-ID, else `partN`.
fn content_id(index: usize, name: &str) -> String {
    let valid = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'<' && b != b'>');
    if valid {
        name.to_string()
    } else {
        format!("part{}", index + 1)
    }
}

/// `text/plain; charset=utf-8` → (`text/plain`, Some(`utf-8`)).
fn split_type(content_type: &str) -> (String, Option<String>) {
    let mut pieces = content_type.split(';');
    let media_type = pieces
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let charset = pieces.find_map(|parameter| {
        let (key, value) = parameter.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_string())
    });
    (media_type, charset)
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::*;
    use crate::MmsContent;

    #[test]
    fn smil_goes_first_and_odd_names_get_generated_ids() {
        let message = OutboundMessage {
            content: Content::Mms(MmsContent {
                subject: Some("Hi".into()),
                parts: vec![
                    MediaPart {
                        content_type: "text/plain; charset=utf-8".into(),
                        name: "hello text.txt".into(),
                        data: Bytes::from_static(b"hello"),
                    },
                    MediaPart {
                        content_type: "application/smil".into(),
                        name: "pres.smil".into(),
                        data: Bytes::from_static(b"<smil/>"),
                    },
                ],
            }),
            ..OutboundMessage::text("m1", "12345", "+12025550123", "")
        };
        let encoded = submit_request(&Mm7Config::new("t", "http://x"), &message).expect("encodes");
        let read =
            canvass_mm7::decode_http(Some(&encoded.content_type), &encoded.body).expect("decodes");
        let content = read.content.expect("content");
        let leaves = content.leaves();
        assert_eq!(leaves[0].content_id.as_deref(), Some("pres.smil"));
        assert_eq!(leaves[1].content_id.as_deref(), Some("part1"));
        assert_eq!(
            leaves[1].content_location.as_deref(),
            Some("hello text.txt")
        );
        assert_eq!(leaves[1].charset.as_deref(), Some("utf-8"));
        let Body::SubmitReq(submit) = read.body else {
            panic!("not a SubmitReq")
        };
        assert_eq!(
            submit.sender_identification.sender_address.map(|a| a.kind),
            Some(AddressKind::ShortCode)
        );
    }

    #[test]
    fn content_over_the_cap_is_refused_before_sending() {
        let mut config = Mm7Config::new("t", "http://x");
        config.max_message_bytes = Some(3);
        let message = OutboundMessage::text("m1", "1", "+12025550123", "four");
        assert!(matches!(
            submit_request(&config, &message),
            Err(SubmitOutcome::PermanentFailure { code, .. }) if code == "too_large"
        ));
    }
}
