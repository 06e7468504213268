//! Strict XML output: every text and attribute value is checked against the XML 1.0 character range and
//! escaped (including CR, so that it survives the parser's line-end normalisation).

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::error::{Error, ErrorKind, excerpt};
use crate::types::Address;

/// Writes MM7 XML into a buffer; elements are written unprefixed in the default namespace.
pub(crate) struct XmlOut {
    writer: Writer<Vec<u8>>,
}

impl XmlOut {
    pub(crate) fn new() -> XmlOut {
        XmlOut {
            writer: Writer::new(Vec::new()),
        }
    }

    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.writer.into_inner()
    }

    fn emit(&mut self, event: Event<'_>) -> Result<(), Error> {
        self.writer
            .write_event(event)
            .map_err(|error| Error::new(ErrorKind::Xml(error.to_string()), "writer"))
    }

    pub(crate) fn declaration(&mut self) -> Result<(), Error> {
        self.emit(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
    }

    /// Opens `name` with attributes, each value checked and escaped.
    pub(crate) fn open(&mut self, name: &str, attributes: &[(&str, &str)]) -> Result<(), Error> {
        let start = start_tag(name, attributes)?;
        self.emit(Event::Start(start))
    }

    pub(crate) fn close(&mut self, name: &str) -> Result<(), Error> {
        self.emit(Event::End(BytesEnd::new(name)))
    }

    pub(crate) fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) -> Result<(), Error> {
        let start = start_tag(name, attributes)?;
        self.emit(Event::Empty(start))
    }

    /// `<name attrs>text</name>`.
    pub(crate) fn element(
        &mut self,
        name: &'static str,
        attributes: &[(&str, &str)],
        text: &str,
    ) -> Result<(), Error> {
        let escaped = escape(name, text)?;
        self.open(name, attributes)?;
        self.emit(Event::Text(BytesText::from_escaped(escaped)))?;
        self.close(name)
    }

    pub(crate) fn text(&mut self, name: &'static str, text: &str) -> Result<(), Error> {
        self.element(name, &[], text)
    }

    pub(crate) fn optional(&mut self, name: &'static str, text: Option<&str>) -> Result<(), Error> {
        match text {
            Some(text) => self.text(name, text),
            None => Ok(()),
        }
    }

    pub(crate) fn optional_bool(
        &mut self,
        name: &'static str,
        value: Option<bool>,
    ) -> Result<(), Error> {
        self.optional(name, value.map(bool_text))
    }

    /// One address element (`Number`, `RFC2822Address` or `ShortCode`).
    pub(crate) fn address(&mut self, address: &Address) -> Result<(), Error> {
        let display_only = address.display_only.map(bool_text);
        let mut attributes = Vec::new();
        if let Some(value) = display_only {
            attributes.push(("displayOnly", value));
        }
        if let Some(coding) = &address.address_coding {
            attributes.push(("addressCoding", coding.as_str()));
        }
        self.element(address.kind.element(), &attributes, &address.value)
    }

    /// `<name>` wrapping one address, as `SenderAddress`, `Sender` and `Recipient` are written.
    pub(crate) fn wrapped_address(
        &mut self,
        name: &'static str,
        address: &Address,
    ) -> Result<(), Error> {
        self.open(name, &[])?;
        self.address(address)?;
        self.close(name)
    }
}

pub(crate) fn bool_text(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}

fn start_tag<'a>(name: &'a str, attributes: &[(&str, &str)]) -> Result<BytesStart<'a>, Error> {
    let mut start = BytesStart::new(name);
    for (key, value) in attributes {
        let escaped = escape(name, value)?;
        start.push_attribute(quick_xml::events::attributes::Attribute {
            key: quick_xml::name::QName(key),
            value: escaped.into(),
        });
    }
    Ok(start)
}

/// Escapes markup characters and CR/TAB/LF-in-attributes as character references; refuses characters that
/// XML 1.0 cannot carry at all.
fn escape(field: &str, text: &str) -> Result<String, Error> {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => {
                return Err(Error::new(
                    ErrorKind::InvalidValue {
                        field: "text (character not allowed in XML)",
                        value: excerpt(text),
                    },
                    field.to_string(),
                ));
            }
            other => out.push(other),
        }
    }
    Ok(out)
}
