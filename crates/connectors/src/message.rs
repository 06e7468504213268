//! What a connector is asked to deliver. Content arrives already adapted to the route's carrier profile:
//! connectors move bytes, they do not transcode.

use std::time::Duration;

use bytes::Bytes;

pub use crate::rich::RcsContent;

/// One message for one recipient.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboundMessage {
    /// Our own id for the message: logs, spans, MM7 TransactionID, MM1 content URLs.
    pub id: String,
    /// Sender: E.164 number, short code, or alphanumeric sender id.
    pub from: String,
    /// Recipient, E.164.
    pub to: String,
    /// What to deliver.
    pub content: Content,
    /// How long the carrier should keep trying; `None` leaves it to the carrier.
    pub validity: Option<Duration>,
    /// Whether to ask the carrier for a delivery receipt.
    pub want_receipt: bool,
}

/// The body, per channel.
#[derive(Debug, Clone, PartialEq)]
#[expect(
    clippy::large_enum_variant,
    reason = "a few hundred bytes per message in flight; boxing would change how every caller builds RCS content"
)]
pub enum Content {
    /// Plain text; the SMPP adapter picks GSM-7 or UCS-2 and splits it.
    Text(String),
    /// A multimedia message.
    Mms(MmsContent),
    /// An RBM agent message.
    Rcs(RcsContent),
}

/// A multimedia message: a subject and parts, in presentation order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MmsContent {
    /// Subject line, when there is one.
    pub subject: Option<String>,
    /// The parts (text, pictures, video, SMIL if the caller made one).
    pub parts: Vec<MediaPart>,
}

/// One body part of a multimedia message.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaPart {
    /// MIME type, e.g. `image/jpeg`.
    pub content_type: String,
    /// File name, used as Content-Location and Content-ID.
    pub name: String,
    /// The bytes.
    pub data: Bytes,
}

impl OutboundMessage {
    /// A text message that asks for a receipt.
    pub fn text(
        id: impl Into<String>,
        from: impl Into<String>,
        to: impl Into<String>,
        body: impl Into<String>,
    ) -> Self {
        Self {
            id: id.into(),
            from: from.into(),
            to: to.into(),
            content: Content::Text(body.into()),
            validity: None,
            want_receipt: true,
        }
    }

    /// Total payload size in bytes, as a carrier's size cap counts it.
    pub fn payload_bytes(&self) -> usize {
        match &self.content {
            Content::Text(text) => text.len(),
            Content::Mms(mms) => mms.parts.iter().map(|part| part.data.len()).sum(),
            Content::Rcs(rcs) => rcs.text.as_deref().map_or(0, str::len),
        }
    }
}
