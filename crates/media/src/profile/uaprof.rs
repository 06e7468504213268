//! Reading a handset's UAProf document (OMA User Agent Profile: CC/PP in RDF/XML) for the three MMS attributes
//! that tighten a carrier profile: `MmsMaxMessageSize`, `MmsMaxImageResolution` and `MmsCcppAccept`.
//!
//! Real UAProf files are written by hand by handset makers and vary a lot: the MMS namespace differs between
//! schema versions (and is sometimes bound to the `prf` prefix), values come as element text, as RDF property
//! attributes, or inside `rdf:Bag`/`rdf:Seq` lists, and some repeat an attribute under `prf:Defaults`. So
//! attributes are matched by local name whatever their namespace, explicit values win over defaults, and a value
//! that cannot be read is skipped rather than failing the whole document.

use super::HandsetCapabilities;
use crate::{Error, Result};
use roxmltree::{Document, Node, ParsingOptions};

/// UAProf documents are tens of kilobytes; anything far larger is not one.
const MAX_DOCUMENT_BYTES: usize = 512 * 1024;
/// Caps the parser's node allocation whatever entities a DTD declares.
const MAX_NODES: u32 = 100_000;
/// More accepted types than any handset lists; stops a hostile document from growing the record without bound.
const MAX_ACCEPT_ENTRIES: usize = 256;

const WHAT: &str = "UAProf document";

/// One attribute value and whether it came from a `Defaults` block.
struct Found<'a> {
    value: &'a str,
    is_default: bool,
}

impl HandsetCapabilities {
    /// Reads the MMS capabilities from a UAProf RDF/XML document. Attributes the document does not state stay
    /// `None`; an `MmsCcppAccept` containing `*/*` is recorded as "no restriction" (`None`).
    ///
    /// Fails when the text is not XML, is not an RDF document, or is larger than a UAProf document can be.
    pub fn from_uaprof(xml: &str) -> Result<HandsetCapabilities> {
        if xml.len() > MAX_DOCUMENT_BYTES {
            return Err(Error::TooLarge {
                what: WHAT.to_owned(),
                reason: format!("{} bytes, the limit is {MAX_DOCUMENT_BYTES}", xml.len()),
            });
        }
        // DTDs are allowed (some makers ship one); roxmltree bounds entity expansion, and external entities are
        // never fetched because no resolver is given.
        let options = ParsingOptions {
            allow_dtd: true,
            nodes_limit: MAX_NODES,
            ..ParsingOptions::default()
        };
        let doc = Document::parse_with_options(xml, options).map_err(|e| Error::Corrupt {
            what: WHAT.to_owned(),
            reason: e.to_string(),
        })?;
        let root = doc.root_element();
        if root.tag_name().name() != "RDF" {
            return Err(Error::Corrupt {
                what: WHAT.to_owned(),
                reason: format!(
                    "the root element is <{}>, not rdf:RDF",
                    root.tag_name().name()
                ),
            });
        }
        let max_message_bytes = preferred(find(root, "MmsMaxMessageSize"), parse_bytes)
            .into_iter()
            .min();
        let max_image = preferred(find(root, "MmsMaxImageResolution"), parse_resolution)
            .into_iter()
            .min_by_key(|(w, h)| u64::from(*w) * u64::from(*h));
        let accepted_types = accepted(find(root, "MmsCcppAccept"));
        Ok(HandsetCapabilities {
            max_message_bytes,
            max_image,
            accepted_types,
        })
    }
}

/// Every value of the attribute `name` in the document: element text, list items, or property attributes.
fn find<'a>(root: Node<'a, 'a>, name: &str) -> Vec<Found<'a>> {
    let mut found = Vec::new();
    for node in root.descendants().filter(Node::is_element) {
        let is_default = node.ancestors().any(|a| a.tag_name().name() == "Defaults");
        // RDF allows a property written as an attribute of its rdf:Description.
        for attribute in node.attributes().filter(|a| a.name() == name) {
            found.push(Found {
                value: attribute.value(),
                is_default,
            });
        }
        if node.tag_name().name() != name {
            continue;
        }
        let items: Vec<Node> = node
            .descendants()
            .filter(|n| n.is_element() && n.tag_name().name() == "li")
            .collect();
        if items.is_empty() {
            if let Some(text) = node.text() {
                found.push(Found {
                    value: text,
                    is_default,
                });
            }
        } else {
            found.extend(
                items
                    .iter()
                    .filter_map(|li| li.text())
                    .map(|value| Found { value, is_default }),
            );
        }
    }
    found
}

/// The readable values, taking those outside a `Defaults` block when there are any.
fn preferred<T>(found: Vec<Found<'_>>, parse: impl Fn(&str) -> Option<T>) -> Vec<T> {
    let explicit: Vec<T> = found
        .iter()
        .filter(|f| !f.is_default)
        .filter_map(|f| parse(f.value))
        .collect();
    if !explicit.is_empty() {
        return explicit;
    }
    found.iter().filter_map(|f| parse(f.value)).collect()
}

/// `MmsMaxMessageSize` is a byte count; 0 (some handsets' "unknown") is no statement at all.
fn parse_bytes(text: &str) -> Option<u64> {
    text.trim().parse::<u64>().ok().filter(|&n| n > 0)
}

/// `MmsMaxImageResolution` is `WIDTHxHEIGHT`; handset makers also write `X`, `*` or `×`, with spaces.
fn parse_resolution(text: &str) -> Option<(u32, u32)> {
    let (w, h) = text.trim().split_once(['x', 'X', '*', '×'])?;
    let (w, h) = (w.trim().parse::<u32>().ok()?, h.trim().parse::<u32>().ok()?);
    (w > 0 && h > 0).then_some((w, h))
}

/// The accepted types, lower case, parameters dropped, de-duplicated in document order; `None` when the document
/// states none or accepts everything.
fn accepted(found: Vec<Found<'_>>) -> Option<Vec<String>> {
    let mut types: Vec<String> = Vec::new();
    let entries = preferred(found, |value| Some(value.to_owned()));
    // Some documents put a comma-separated list in one value instead of one rdf:li per type.
    for entry in entries
        .iter()
        .flat_map(|v| v.split([',', ' ', '\n', '\t', '\r']))
    {
        let bare = entry
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let well_formed = bare
            .split_once('/')
            .is_some_and(|(top, sub)| !top.is_empty() && !sub.is_empty());
        if !well_formed {
            continue;
        }
        if bare == "*/*" {
            return None;
        }
        if !types.contains(&bare) {
            if types.len() == MAX_ACCEPT_ENTRIES {
                break;
            }
            types.push(bare);
        }
    }
    (!types.is_empty()).then_some(types)
}

#[cfg(test)]
#[path = "uaprof_tests.rs"]
mod tests;
