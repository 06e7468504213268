//! Building the PDUs a sender writes most (OMA-MMS-ENC 1.3 clauses 6.1.1, 6.2 and 6.3), for tools such as
//! `canvass mms encode`: addresses are normalised (`+1…` gets `/TYPE=PLMN`), media become a SMIL slideshow.

use crate::address::Address;
use crate::body;
use crate::field::code;
use crate::pdu::{Body, Pdu};
use crate::smil::{Layout, Slide, Visual};
use crate::{EncodedString, MessageType, Time, Value};

/// A media file to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Media type, such as `image/jpeg`.
    pub media_type: String,
    /// File name, used as Content-Location and in the SMIL.
    pub name: String,
    /// Content.
    pub data: Vec<u8>,
}

/// The header form of an address: phone numbers get `/TYPE=PLMN`, e-mail stays as it is.
pub fn address(text: &str) -> EncodedString {
    EncodedString::plain(Address::parse(text).to_string())
}

/// A multipart/related body with a generated SMIL: each image or video opens a slide, and a text that
/// follows it goes on the same slide. Slides last `duration_ms`.
pub fn slideshow(attachments: Vec<Attachment>, duration_ms: u32) -> Body {
    let mut slides: Vec<Slide> = Vec::new();
    for a in &attachments {
        let visual = if a.media_type.starts_with("image/") {
            Some(Visual::Image(a.name.clone()))
        } else if a.media_type.starts_with("video/") {
            Some(Visual::Video(a.name.clone()))
        } else {
            None
        };
        let is_text = a.media_type.starts_with("text/");
        match (visual, slides.last_mut()) {
            (Some(v), _) => slides.push(Slide {
                visual: Some(v),
                text: None,
                duration_ms,
            }),
            (None, Some(last)) if is_text && last.text.is_none() => {
                last.text = Some(a.name.clone())
            }
            (None, _) if is_text => slides.push(Slide {
                visual: None,
                text: Some(a.name.clone()),
                duration_ms,
            }),
            (None, _) => {} // Audio and others travel as parts without a region.
        }
    }
    let smil = crate::smil::generate(&slides, Layout::default());
    let parts = attachments
        .into_iter()
        .map(|a| body::media_part(&a.media_type, &a.name, a.data))
        .collect();
    body::related(&smil, parts)
}

fn addressed(mut pdu: Pdu, to: &[&str], subject: Option<&str>) -> Pdu {
    for t in to {
        pdu = pdu.with(code::TO, Value::Encoded(address(t)));
    }
    if let Some(s) = subject {
        pdu = pdu.with(code::SUBJECT, Value::Encoded(subject_value(s)));
    }
    pdu
}

/// Plain text when ASCII, else declared UTF-8.
fn subject_value(s: &str) -> EncodedString {
    text(s)
}

/// An Encoded-string-value for free text (Subject, Response-Text, …): plain when ASCII, so that MMS 1.0
/// readers show it as is, else declared UTF-8.
pub fn text(s: &str) -> EncodedString {
    if s.is_ascii() {
        EncodedString::plain(s)
    } else {
        EncodedString::utf8(s)
    }
}

/// The media type MMS clients expect for a file name's extension (case-insensitive), for the formats the
/// MMS conformance document lists and the common ones handsets send; `None` for anything else, so that a
/// tool asks instead of guessing.
pub fn media_type_of(name: &str) -> Option<&'static str> {
    let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match extension.as_str() {
        "jpg" | "jpeg" | "jpe" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "bmp" => "image/bmp",
        "wbmp" => "image/vnd.wap.wbmp",
        "webp" => "image/webp",
        "heic" => "image/heic",
        "mp4" | "m4v" => "video/mp4",
        "3gp" => "video/3gpp",
        "3g2" => "video/3gpp2",
        "mov" => "video/quicktime",
        "amr" => "audio/amr",
        "awb" => "audio/amr-wb",
        "mp3" => "audio/mpeg",
        "m4a" | "aac" => "audio/mp4",
        "ogg" | "oga" => "audio/ogg",
        "wav" => "audio/wav",
        "mid" | "midi" => "audio/midi",
        "txt" | "text" => "text/plain",
        "vcf" => "text/x-vcard",
        "vcs" | "ics" => "text/x-vcalendar",
        "smil" | "smi" => "application/smil",
        _ => return None,
    })
}

/// m-send-req (MMS 1.2): From is the insert-address token unless `from` is given.
pub fn send_req(
    transaction_id: &str,
    from: Option<&str>,
    to: &[&str],
    subject: Option<&str>,
    body: Body,
) -> Pdu {
    let pdu = Pdu::new(MessageType::SendReq, Some(transaction_id), (1, 2))
        .with(code::FROM, Value::From(from.map(address)));
    addressed(pdu, to, subject).with_body(body)
}

/// m-retrieve-conf (MMS 1.2) as an MMSC returns it.
pub fn retrieve_conf(
    transaction_id: &str,
    message_id: &str,
    date: u64,
    from: &str,
    to: &[&str],
    subject: Option<&str>,
    body: Body,
) -> Pdu {
    let pdu = Pdu::new(MessageType::RetrieveConf, Some(transaction_id), (1, 2))
        .with(code::MESSAGE_ID, Value::Text(message_id.to_owned()))
        .with(code::DATE, Value::Long(date))
        .with(code::FROM, Value::From(Some(address(from))));
    addressed(pdu, to, subject).with_body(body)
}

/// m-notification-ind (MMS 1.2) announcing a message of `size` octets to fetch at `location`.
pub fn notification_ind(
    transaction_id: &str,
    from: Option<&str>,
    subject: Option<&str>,
    size: u64,
    expiry: Time,
    location: &str,
) -> Pdu {
    let mut pdu = Pdu::new(MessageType::NotificationInd, Some(transaction_id), (1, 2));
    if let Some(f) = from {
        pdu = pdu.with(code::FROM, Value::From(Some(address(f))));
    }
    if let Some(s) = subject {
        pdu = pdu.with(code::SUBJECT, Value::Encoded(subject_value(s)));
    }
    pdu.with(code::MESSAGE_CLASS, Value::Octet(0x80))
        .with(code::MESSAGE_SIZE, Value::Long(size))
        .with(code::EXPIRY, Value::Time(expiry))
        .with(code::CONTENT_LOCATION, Value::Text(location.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Content;

    fn attachment(media_type: &str, name: &str) -> Attachment {
        Attachment {
            media_type: media_type.into(),
            name: name.into(),
            data: b"x".to_vec(),
        }
    }

    #[test]
    fn send_req_with_slides() {
        let body = slideshow(
            vec![
                attachment("image/jpeg", "a.jpg"),
                attachment("text/plain", "a.txt"),
                attachment("video/mp4", "b.mp4"),
            ],
            4000,
        );
        let pdu = send_req(
            "t1",
            None,
            &["+15551230000", "bob@example.com"],
            Some("Hé"),
            body,
        );
        assert_eq!(pdu.to(), ["+15551230000/TYPE=PLMN", "bob@example.com"]);
        assert_eq!(pdu.encoded(code::SUBJECT), Some(&EncodedString::utf8("Hé")));
        assert!(
            pdu.missing_fields().is_empty(),
            "{:?}",
            pdu.missing_fields()
        );
        let Some(Body {
            content: Content::Parts(parts),
            ..
        }) = &pdu.body
        else {
            panic!("parts expected")
        };
        assert_eq!(parts.len(), 4);
        let smil = String::from_utf8(parts[0].data.clone()).unwrap();
        assert!(smil.contains(
            "<par dur=\"4000ms\"><img src=\"a.jpg\" region=\"Image\"/><text src=\"a.txt\""
        ));
        assert!(smil.contains("<par dur=\"4000ms\"><video src=\"b.mp4\""));
        assert_eq!(crate::decode(&crate::encode(&pdu).unwrap()).unwrap(), pdu);
    }

    #[test]
    fn media_types_by_extension() {
        assert_eq!(media_type_of("Photo.JPG"), Some("image/jpeg"));
        assert_eq!(media_type_of("clip.3gp"), Some("video/3gpp"));
        assert_eq!(media_type_of("note.txt"), Some("text/plain"));
        assert_eq!(media_type_of("blob.bin"), None);
        assert_eq!(media_type_of("no-extension"), None);
        assert_eq!(text("Hé"), EncodedString::utf8("Hé"));
        assert_eq!(text("Hi"), EncodedString::plain("Hi"));
    }

    #[test]
    fn notification_has_its_mandatory_fields() {
        let n = notification_ind(
            "t2",
            Some("+15551230000"),
            None,
            1234,
            Time::Relative(3600),
            "http://m/1",
        );
        assert!(n.missing_fields().is_empty(), "{:?}", n.missing_fields());
        assert_eq!(n.from(), Some("+15551230000/TYPE=PLMN"));
    }
}
