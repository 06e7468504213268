//! Shared MM7 field types (TS 23.140 §8.7.4 and the MM7 XSD): addresses, recipients, sender identification,
//! content references and the small enumerations.

use serde::{Deserialize, Serialize};

/// Which element an address is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AddressKind {
    /// `<Number>`: an MSISDN.
    Number,
    /// `<RFC2822Address>`: an e-mail address.
    Rfc2822,
    /// `<ShortCode>`.
    ShortCode,
}

impl AddressKind {
    pub(crate) fn element(self) -> &'static str {
        match self {
            AddressKind::Number => "Number",
            AddressKind::Rfc2822 => "RFC2822Address",
            AddressKind::ShortCode => "ShortCode",
        }
    }

    pub(crate) fn from_element(name: &str) -> Option<AddressKind> {
        [
            AddressKind::Number,
            AddressKind::Rfc2822,
            AddressKind::ShortCode,
        ]
        .into_iter()
        .find(|kind| kind.element().eq_ignore_ascii_case(name))
    }
}

/// One address (the XSD's `addressType`), with its optional attributes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// Number, RFC2822Address or ShortCode.
    pub kind: AddressKind,
    /// The address text.
    pub value: String,
    /// `displayOnly` attribute.
    pub display_only: Option<bool>,
    /// `addressCoding` attribute (`encrypted` or `obfuscated`).
    pub address_coding: Option<String>,
}

impl Address {
    /// A plain `<Number>` address.
    pub fn number(value: impl Into<String>) -> Address {
        Address::new(AddressKind::Number, value)
    }

    /// An address of `kind` without attributes.
    pub fn new(kind: AddressKind, value: impl Into<String>) -> Address {
        Address {
            kind,
            value: value.into(),
            display_only: None,
            address_coding: None,
        }
    }
}

/// `Recipients`: To, Cc and Bcc lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Recipients {
    /// `To` addresses.
    pub to: Vec<Address>,
    /// `Cc` addresses.
    pub cc: Vec<Address>,
    /// `Bcc` addresses.
    pub bcc: Vec<Address>,
}

impl Recipients {
    /// True when no list holds an address.
    pub fn is_empty(&self) -> bool {
        self.to.is_empty() && self.cc.is_empty() && self.bcc.is_empty()
    }
}

/// `SenderIdentification` of a SubmitReq.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SenderIdentification {
    /// `VASPID`.
    pub vasp_id: Option<String>,
    /// `VASID`.
    pub vas_id: Option<String>,
    /// `SenderAddress`.
    pub sender_address: Option<Address>,
}

/// The `Content` element: where the multimedia content is (normally `cid:` of a MIME part).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentRef {
    /// `href`, e.g. `cid:content@canvass`.
    pub href: String,
    /// `allowAdaptations` attribute.
    pub allow_adaptations: Option<bool>,
}

impl ContentRef {
    /// A reference to the MIME part whose Content-ID is `content_id`.
    pub fn cid(content_id: &str) -> ContentRef {
        ContentRef {
            href: format!("cid:{content_id}"),
            allow_adaptations: None,
        }
    }

    /// The Content-ID this reference names, when it is a `cid:` URL (percent-decoded, without `<>`).
    pub fn content_id(&self) -> Option<String> {
        let href = self.href.trim();
        let scheme = href.get(..4)?;
        let rest = href
            .get(4..)
            .filter(|_| scheme.eq_ignore_ascii_case("cid:"))?;
        Some(percent_decode(
            rest.trim_start_matches('<').trim_end_matches('>'),
        ))
    }
}

/// Decodes `%XX` escapes (RFC 2392 cid URLs); malformed escapes are kept as written.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = bytes
            .get(index + 1..index + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (bytes[index], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                index += 3;
            }
            (byte, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `UACapabilities` of a DeliverReq or DeliveryReportReq.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UaCapabilities {
    /// `UAProf` attribute: the handset's UAProf URL.
    pub ua_prof: Option<String>,
    /// `TimeStamp` attribute.
    pub time_stamp: Option<String>,
}

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal,)* }) => {
        $(#[$meta])*
        ///
        /// Values this crate does not know are kept in `Other` and written back as they came.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(into = "String", from = "String")]
        pub enum $name {
            $(
                #[doc = concat!("`", $text, "`")]
                $variant,
            )*
            /// Any other value.
            Other(String),
        }

        impl $name {
            /// The schema's spelling.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)*
                    $name::Other(text) => text,
                }
            }

            /// Parses the schema's spelling, ignoring ASCII case.
            pub fn parse(text: &str) -> $name {
                $(if text.eq_ignore_ascii_case($text) { return $name::$variant; })*
                $name::Other(text.to_string())
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.as_str().to_string()
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> $name {
                $name::parse(&text)
            }
        }
    };
}

text_enum! {
    /// `MessageClass`.
    MessageClass {
        Personal = "Personal",
        Informational = "Informational",
        Advertisement = "Advertisement",
        Auto = "Auto",
    }
}

text_enum! {
    /// `Priority`.
    Priority {
        Low = "Low",
        Normal = "Normal",
        High = "High",
    }
}

text_enum! {
    /// `ChargedParty`.
    ChargedParty {
        Sender = "Sender",
        Recipient = "Recipient",
        Both = "Both",
        Neither = "Neither",
        ThirdParty = "ThirdParty",
    }
}

text_enum! {
    /// `MMStatus` of a delivery report or read reply.
    MmStatus {
        Expired = "Expired",
        Retrieved = "Retrieved",
        Rejected = "Rejected",
        Indeterminate = "Indeterminate",
        Forwarded = "Forwarded",
        Unrecognised = "Unrecognised",
        Deferred = "Deferred",
        Read = "Read",
        Deleted = "Deleted",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cid_href_yields_the_content_id() {
        let reference = ContentRef::cid("a b@x");
        assert_eq!(reference.content_id().as_deref(), Some("a b@x"));
        let sloppy = ContentRef {
            href: " CID:<img%201@host> ".into(),
            allow_adaptations: None,
        };
        assert_eq!(sloppy.content_id().as_deref(), Some("img 1@host"));
        let remote = ContentRef {
            href: "http://host/x".into(),
            allow_adaptations: Some(true),
        };
        assert_eq!(remote.content_id(), None);
    }

    #[test]
    fn enums_keep_unknown_values() {
        assert_eq!(Priority::parse("high"), Priority::High);
        assert_eq!(MmStatus::parse("Weird"), MmStatus::Other("Weird".into()));
        assert_eq!(MmStatus::Other("Weird".into()).as_str(), "Weird");
    }
}
