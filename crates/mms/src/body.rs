//! Message bodies as MMS clients expect them (OMA-MMS-ENC 1.3 clause 7.1 and OMA MMS Conformance 1.3 clause
//! 8.1): multipart/related with the SMIL presentation as the start part, or multipart/mixed.

use canvass_wsp::{ContentType, Header, Parameter, Part};

use crate::pdu::{Body, Content};

/// Content-ID of the SMIL part.
pub const SMIL_CONTENT_ID: &str = "<smil>";

/// A media part named `name`: Content-Type with `name=`, Content-ID `<name>` and Content-Location `name`.
pub fn media_part(media_type: &str, name: &str, data: impl Into<Vec<u8>>) -> Part {
    let mut content_type = ContentType::new(media_type).with(Parameter::name(name));
    if media_type.starts_with("text/") {
        content_type = content_type.with(Parameter::charset(canvass_wsp::charset::UTF_8));
    }
    Part {
        content_type,
        headers: vec![
            Header::content_id(&format!("<{name}>")),
            Header::content_location(name),
        ],
        data: data.into(),
    }
}

/// multipart/related: the SMIL document first (the start part), then `parts`.
pub fn related(smil: &str, parts: Vec<Part>) -> Body {
    let smil_part = Part {
        content_type: ContentType::new("application/smil").with(Parameter::name("smil.xml")),
        headers: vec![
            Header::content_id(SMIL_CONTENT_ID),
            Header::content_location("smil.xml"),
        ],
        data: smil.as_bytes().to_vec(),
    };
    let mut all = Vec::with_capacity(parts.len() + 1);
    all.push(smil_part);
    all.extend(parts);
    Body {
        content_type: ContentType::new("application/vnd.wap.multipart.related")
            .with(Parameter::start(SMIL_CONTENT_ID))
            .with(Parameter::related_type("application/smil")),
        content: Content::Parts(all),
    }
}

/// multipart/mixed of `parts`.
pub fn mixed(parts: Vec<Part>) -> Body {
    Body {
        content_type: ContentType::new("application/vnd.wap.multipart.mixed"),
        content: Content::Parts(parts),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn related_starts_with_smil() {
        let body = related(
            "<smil/>",
            vec![media_part("image/jpeg", "a.jpg", vec![1, 2])],
        );
        assert_eq!(body.content_type.start(), Some(SMIL_CONTENT_ID));
        let Content::Parts(parts) = &body.content else {
            panic!("multipart expected")
        };
        assert_eq!(parts[0].content_id(), Some(SMIL_CONTENT_ID));
        assert_eq!(parts[1].name().as_deref(), Some("a.jpg"));
        assert_eq!(parts[1].content_location(), Some("a.jpg"));
    }
}
