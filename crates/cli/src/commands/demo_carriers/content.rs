//! What the tour sends: a long text outside GSM-7, a small picture message and a rich card.

use bytes::Bytes;
use canvass_connectors::{
    CardMedia, Content, MediaPart, MmsContent, OutboundMessage, RcsContent, RichCard, Suggestion,
};

/// Our sender number on every route.
pub const FROM: &str = "+12025550100";

/// A Spanish reminder with emoji: outside GSM-7, so UCS-2 and several segments.
pub const LONG_UCS2: &str = "¡Hola! 🗳️ Mañana es el día de las elecciones. Tu centro de votación abre a las 7:00 y \
cierra a las 20:00. Lleva tu identificación 🪪 y, si necesitas transporte, responde VIAJE. ¡Gracias por participar! 🇺🇸";

/// A tiny JPEG-looking picture: the simulated handset decodes the MMS PDU, not the image.
const PICTURE: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0xFF, 0xD9,
];

/// A text that asks for a receipt.
pub fn text(id: &str, to: String, body: &str) -> OutboundMessage {
    OutboundMessage::text(id, FROM, to, body)
}

/// A picture with a caption, for MM1 and MM7.
pub fn picture_mms(id: &str, to: String) -> OutboundMessage {
    OutboundMessage {
        content: Content::Mms(MmsContent {
            subject: Some("Your polling place".into()),
            parts: vec![
                MediaPart {
                    content_type: "image/jpeg".into(),
                    name: "map.jpg".into(),
                    data: Bytes::from_static(PICTURE),
                },
                MediaPart {
                    content_type: "text/plain".into(),
                    name: "note.txt".into(),
                    data: Bytes::from_static(b"Polls open at 7am at Lincoln High School."),
                },
            ],
        }),
        ..text(id, to, "")
    }
}

/// A rich card with a picture and two reply chips.
pub fn rich_card(id: &str, to: String) -> OutboundMessage {
    let reply = |text: &str, postback: &str| Suggestion::Reply {
        text: text.into(),
        postback: postback.into(),
    };
    OutboundMessage {
        content: Content::Rcs(RcsContent {
            card: Some(RichCard {
                title: Some("Election day is Tuesday".into()),
                description: Some("Your polling place opens at 7am. Need a ride?".into()),
                media: Some(CardMedia {
                    file_url: "https://example.org/polling-place.jpg".into(),
                    thumbnail_url: None,
                    height: "MEDIUM".into(),
                }),
                suggestions: vec![
                    reply("Yes, a ride", "ride-yes"),
                    reply("No thanks", "ride-no"),
                ],
            }),
            ..RcsContent::default()
        }),
        ..text(id, to, "")
    }
}
