//! An MMS PDU (OMA-MMS-ENC 1.3 clause 5): headers in wire order, then, for the types that have one, a body
//! introduced by Content-Type.

use canvass_wsp::{ContentType, EncodedString, Part};

use crate::field::code;
use crate::message_type::MessageType;
use crate::value::{Time, Value};

/// A header field's name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Field {
    /// An MMS field code (Table 24), without the high bit: 0x0C is X-Mms-Message-Type.
    Code(u8),
    /// An application header's name (clause 7.2.1, Application-header).
    Text(String),
}

/// One header.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Header {
    /// Name.
    pub field: Field,
    /// Value.
    pub value: Value,
}

impl Header {
    /// A header of field `code`.
    pub fn new(code: u8, value: Value) -> Self {
        Header {
            field: Field::Code(code),
            value,
        }
    }

    /// An application header (name and text value).
    pub fn application(name: impl Into<String>, value: impl Into<String>) -> Self {
        Header {
            field: Field::Text(name.into()),
            value: Value::Text(value.into()),
        }
    }

    /// The field's name as text.
    pub fn name(&self) -> String {
        match &self.field {
            Field::Code(c) => {
                crate::field::name(*c).map_or_else(|| format!("0x{:02x}", c | 0x80), str::to_owned)
            }
            Field::Text(t) => t.clone(),
        }
    }
}

/// The body of a PDU.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Body {
    /// Content-Type of the message.
    pub content_type: ContentType,
    /// The content.
    pub content: Content,
}

/// A multipart body (parts) or a single piece of data.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Content {
    /// The entries of a WSP multipart body (WAP-230 8.5).
    Parts(Vec<Part>),
    /// The data of a non-multipart body.
    Single(Vec<u8>),
}

/// An MMS PDU.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pdu {
    /// Headers in wire order (X-Mms-Message-Type, X-Mms-Transaction-Id and X-Mms-MMS-Version come first).
    pub headers: Vec<Header>,
    /// The body, if any.
    pub body: Option<Body>,
}

/// An MMS version (major, minor), written as a short-integer `major << 4 | minor` (clause 7.3.34).
pub fn version_octet(major: u8, minor: u8) -> u8 {
    0x80 | ((major & 0x07) << 4) | (minor & 0x0F)
}

impl Pdu {
    /// A PDU that starts with the three headers every PDU begins with. `transaction_id` is left out when
    /// `None` (some types, e.g. m-delivery-ind, have none).
    pub fn new(message_type: MessageType, transaction_id: Option<&str>, version: (u8, u8)) -> Self {
        let mut headers = vec![Header::new(
            code::MESSAGE_TYPE,
            Value::Octet(message_type.code()),
        )];
        if let Some(tid) = transaction_id {
            headers.push(Header::new(
                code::TRANSACTION_ID,
                Value::Text(tid.to_owned()),
            ));
        }
        headers.push(Header::new(
            code::MMS_VERSION,
            Value::Octet(version_octet(version.0, version.1)),
        ));
        Pdu {
            headers,
            body: None,
        }
    }

    /// Adds a header (builder style).
    pub fn with(mut self, code: u8, value: Value) -> Self {
        self.headers.push(Header::new(code, value));
        self
    }

    /// Sets the body (builder style).
    pub fn with_body(mut self, body: Body) -> Self {
        self.body = Some(body);
        self
    }

    /// The first value of field `code`.
    pub fn get(&self, code: u8) -> Option<&Value> {
        self.headers.iter().find_map(|h| match h.field {
            Field::Code(c) if c == code => Some(&h.value),
            _ => None,
        })
    }

    /// All values of field `code` (To, Cc and Bcc repeat).
    pub fn get_all(&self, code: u8) -> impl Iterator<Item = &Value> {
        self.headers.iter().filter_map(move |h| match h.field {
            Field::Code(c) if c == code => Some(&h.value),
            _ => None,
        })
    }

    /// The message type.
    pub fn message_type(&self) -> Option<MessageType> {
        match self.get(code::MESSAGE_TYPE) {
            Some(Value::Octet(t)) => MessageType::from_code(*t),
            _ => None,
        }
    }

    /// The MMS version as (major, minor).
    pub fn version(&self) -> Option<(u8, u8)> {
        match self.get(code::MMS_VERSION) {
            Some(Value::Octet(v)) => Some(((v >> 4) & 0x07, v & 0x0F)),
            _ => None,
        }
    }

    /// A text-valued field (Transaction-Id, Message-ID, Content-Location, …).
    pub fn text(&self, code: u8) -> Option<&str> {
        match self.get(code) {
            Some(Value::Text(t)) => Some(t),
            _ => None,
        }
    }

    /// An Encoded-string-valued field (Subject, …).
    pub fn encoded(&self, code: u8) -> Option<&EncodedString> {
        match self.get(code) {
            Some(Value::Encoded(s)) => Some(s),
            _ => None,
        }
    }

    /// The transaction id.
    pub fn transaction_id(&self) -> Option<&str> {
        self.text(code::TRANSACTION_ID)
    }

    /// The subject text.
    pub fn subject(&self) -> Option<&str> {
        self.encoded(code::SUBJECT).map(|s| s.text.as_str())
    }

    /// The sender, when the PDU names one.
    pub fn from(&self) -> Option<&str> {
        match self.get(code::FROM) {
            Some(Value::From(Some(a))) => Some(&a.text),
            _ => None,
        }
    }

    /// The recipients in To.
    pub fn to(&self) -> Vec<&str> {
        self.get_all(code::TO)
            .filter_map(|v| match v {
                Value::Encoded(s) => Some(s.text.as_str()),
                _ => None,
            })
            .collect()
    }

    /// Expiry, if given.
    pub fn expiry(&self) -> Option<Time> {
        match self.get(code::EXPIRY) {
            Some(Value::Time(t)) => Some(*t),
            _ => None,
        }
    }

    /// Names of the mandatory fields (clause 6, per message type) that this PDU lacks; empty when complete.
    /// Encoding does not require completeness, so that tests and tools can write any PDU.
    pub fn missing_fields(&self) -> Vec<&'static str> {
        let Some(t) = self.message_type() else {
            return vec!["X-Mms-Message-Type"];
        };
        let mut missing = Vec::new();
        if self.get(code::MMS_VERSION).is_none() {
            missing.push("X-Mms-MMS-Version");
        }
        for field in t.mandatory_fields() {
            let present = if *field == code::CONTENT_TYPE {
                self.body.is_some()
            } else {
                self.get(*field).is_some()
            };
            if !present {
                missing.push(crate::field::name(*field).unwrap_or("?"));
            }
        }
        missing
    }

    /// The parts of a multipart body (empty otherwise).
    pub fn parts(&self) -> &[Part] {
        match &self.body {
            Some(Body {
                content: Content::Parts(parts),
                ..
            }) => parts,
            _ => &[],
        }
    }
}
