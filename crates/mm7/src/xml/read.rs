//! Lenient XML input. Real MMSCs send a byte-order mark, junk after the envelope, Latin-1 text, prefixes
//! they never declared, any namespace or none, other letter case and stray whitespace. Elements are therefore
//! matched by local name only, ignoring ASCII case, and values are trimmed.

use roxmltree::{Document, Node, ParsingOptions};

use crate::error::{Error, ErrorKind, excerpt};
use crate::types::{Address, AddressKind};

/// How many undeclared prefixes we are willing to patch before giving up.
const MAX_PREFIX_REPAIRS: usize = 16;

/// Nodes one document may hold; inputs are size-capped before this, this bounds the tree itself.
const MAX_NODES: u32 = 200_000;

/// Turns raw bytes into text roxmltree accepts, repairing what peers commonly get wrong.
pub(crate) fn prepare(bytes: &[u8]) -> Result<String, Error> {
    let mut text = decode_text(bytes);
    for _ in 0..MAX_PREFIX_REPAIRS {
        let prefix = match parse(&text) {
            Ok(_) => return Ok(text),
            Err(roxmltree::Error::UnknownNamespace(prefix, _)) => prefix,
            Err(error) => return Err(xml_error(&error)),
        };
        text = declare_prefix(&text, &prefix).ok_or_else(|| {
            Error::new(
                ErrorKind::Xml(format!(
                    "undeclared namespace prefix {:?}",
                    excerpt(&prefix)
                )),
                "SOAP part",
            )
        })?;
    }
    Err(Error::new(
        ErrorKind::Xml("too many undeclared namespace prefixes".into()),
        "SOAP part",
    ))
}

pub(crate) fn parse(text: &str) -> Result<Document<'_>, roxmltree::Error> {
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, options)
}

pub(crate) fn xml_error(error: &roxmltree::Error) -> Error {
    Error::new(ErrorKind::Xml(error.to_string()), "SOAP part")
}

/// UTF-8 (BOM stripped) when valid, otherwise Latin-1, which maps every byte; trimmed to the markup.
fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        utf16(rest, u16::from_le_bytes)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        utf16(rest, u16::from_be_bytes)
    } else {
        match std::str::from_utf8(bytes) {
            Ok(text) => text.to_string(),
            Err(_) => bytes.iter().map(|&byte| char::from(byte)).collect(),
        }
    };
    let start = text.find('<').unwrap_or(0);
    let end = text.rfind('>').map_or(text.len(), |index| index + 1);
    text.get(start..end.max(start)).unwrap_or("").to_string()
}

/// UTF-16 with a byte-order mark (a few Windows-based peers send it); bad surrogates become U+FFFD.
fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    char::decode_utf16(units)
        .map(|decoded| decoded.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// Declares `prefix` on the root element with a placeholder URI so that the document parses.
fn declare_prefix(text: &str, prefix: &str) -> Option<String> {
    let valid = !prefix.is_empty()
        && prefix
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !valid {
        return None;
    }
    let bytes = text.as_bytes();
    let mut search = 0;
    let root = loop {
        let open = search + text.get(search..)?.find('<')?;
        let next = *bytes.get(open + 1)?;
        if next != b'?' && next != b'!' {
            break open;
        }
        search = open + 1;
    };
    let name_end = root
        + 1
        + text
            .get(root + 1..)?
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')?;
    let mut repaired = String::with_capacity(text.len() + 64);
    repaired.push_str(text.get(..name_end)?);
    repaired.push_str(&format!(
        " xmlns:{prefix}=\"urn:canvass:undeclared:{prefix}\""
    ));
    repaired.push_str(text.get(name_end..)?);
    Some(repaired)
}

/// Local names equal, ignoring ASCII case.
pub(crate) fn is(node: Node<'_, '_>, name: &str) -> bool {
    node.is_element() && node.tag_name().name().eq_ignore_ascii_case(name)
}

/// First child element called `name`.
pub(crate) fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|candidate| is(*candidate, name))
}

/// Every child element called `name`.
pub(crate) fn children<'a, 'i>(
    node: Node<'a, 'i>,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children()
        .filter(move |candidate| is(*candidate, name))
}

/// All text inside `node`, trimmed.
pub(crate) fn text_of(node: Node<'_, '_>) -> String {
    let text: String = node
        .descendants()
        .filter(|descendant| descendant.is_text())
        .filter_map(|descendant| descendant.text())
        .collect();
    text.trim().to_string()
}

/// `Envelope/Body/SubmitReq/...`: where `node` is, for error messages.
pub(crate) fn path(node: Node<'_, '_>) -> String {
    let mut names: Vec<&str> = node
        .ancestors()
        .filter(|ancestor| ancestor.is_element())
        .map(|ancestor| ancestor.tag_name().name())
        .collect();
    names.reverse();
    names.join("/")
}

pub(crate) fn path_to(node: Node<'_, '_>, name: &str) -> String {
    format!("{}/{name}", path(node))
}

/// Text of child `name`, if present.
pub(crate) fn optional(node: Node<'_, '_>, name: &str) -> Option<String> {
    child(node, name).map(text_of)
}

/// Text of child `name`, which must be present.
pub(crate) fn required(node: Node<'_, '_>, name: &'static str) -> Result<String, Error> {
    optional(node, name)
        .ok_or_else(|| Error::new(ErrorKind::MissingElement(name), path_to(node, name)))
}

/// An `xs:boolean`, leniently: true/false/1/0/yes/no in any case.
pub(crate) fn parse_bool(text: &str, field: &'static str, at: String) -> Result<bool, Error> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(Error::new(
            ErrorKind::InvalidValue {
                field,
                value: excerpt(text),
            },
            at,
        )),
    }
}

pub(crate) fn optional_bool(node: Node<'_, '_>, name: &'static str) -> Result<Option<bool>, Error> {
    optional(node, name)
        .map(|text| parse_bool(&text, name, path_to(node, name)))
        .transpose()
}

/// An attribute by local name, ignoring ASCII case and namespace.
pub(crate) fn attribute<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attributes()
        .find(|attribute| attribute.name().eq_ignore_ascii_case(name))
        .map(|attribute| attribute.value())
}

pub(crate) fn bool_attribute(
    node: Node<'_, '_>,
    name: &'static str,
) -> Result<Option<bool>, Error> {
    attribute(node, name)
        .map(|text| parse_bool(text, name, path(node)))
        .transpose()
}

/// One address element (`Number`, `RFC2822Address`, `ShortCode`).
pub(crate) fn address_element(node: Node<'_, '_>) -> Result<Option<Address>, Error> {
    let Some(kind) = AddressKind::from_element(node.tag_name().name()) else {
        return Ok(None);
    };
    Ok(Some(Address {
        kind,
        value: text_of(node),
        display_only: bool_attribute(node, "displayOnly")?,
        address_coding: attribute(node, "addressCoding").map(str::to_string),
    }))
}

/// Every address element directly inside `node`.
pub(crate) fn addresses(node: Node<'_, '_>) -> Result<Vec<Address>, Error> {
    let mut found = Vec::new();
    for candidate in node.children().filter(Node::is_element) {
        if let Some(address) = address_element(candidate)? {
            found.push(address);
        }
    }
    Ok(found)
}

/// A wrapper such as `SenderAddress` or `Sender` holding one address. Older peers put the bare address
/// text inside the wrapper; that is read as an e-mail address when it has an `@`, else as a number.
pub(crate) fn wrapped_address(node: Node<'_, '_>) -> Result<Option<Address>, Error> {
    if let Some(address) = addresses(node)?.into_iter().next() {
        return Ok(Some(address));
    }
    let text = text_of(node);
    if text.is_empty() {
        return Ok(None);
    }
    let kind = if text.contains('@') {
        AddressKind::Rfc2822
    } else {
        AddressKind::Number
    };
    Ok(Some(Address::new(kind, text)))
}

pub(crate) fn optional_address(
    node: Node<'_, '_>,
    name: &'static str,
) -> Result<Option<Address>, Error> {
    match child(node, name) {
        Some(wrapper) => wrapped_address(wrapper),
        None => Ok(None),
    }
}

pub(crate) fn required_address(node: Node<'_, '_>, name: &'static str) -> Result<Address, Error> {
    optional_address(node, name)?
        .ok_or_else(|| Error::new(ErrorKind::MissingElement(name), path_to(node, name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_bom_junk_and_undeclared_prefixes() {
        let input = b"\xEF\xBB\xBF  <mm7:A><x:B>1</x:B></mm7:A>\r\n\0\0";
        let text = prepare(input).unwrap();
        let document = parse(&text).unwrap();
        let b = child(document.root_element(), "b").unwrap();
        assert_eq!(text_of(b), "1");
    }

    #[test]
    fn latin1_is_accepted() {
        let text = prepare(b"<?xml version='1.0' encoding='ISO-8859-1'?><a>caf\xE9</a>").unwrap();
        let document = parse(&text).unwrap();
        assert_eq!(text_of(document.root_element()), "café");
    }

    #[test]
    fn utf16_with_bom_is_accepted() {
        let mut input = vec![0xFF, 0xFE];
        for unit in "<a>é</a>".encode_utf16() {
            input.extend_from_slice(&unit.to_le_bytes());
        }
        let text = prepare(&input).unwrap();
        assert_eq!(text_of(parse(&text).unwrap().root_element()), "é");
    }

    #[test]
    fn broken_xml_is_an_error() {
        let error = prepare(b"<a><b></a>").unwrap_err();
        assert!(matches!(error.kind(), ErrorKind::Xml(_)));
    }
}
