//! `{{field}}` placeholders: split once when a template loads, filled per recipient.
//!
//! Splitting at load means a render never re-scans the template text, and the set of fields a template
//! references is known up front (it is what the content key hashes).

use std::collections::{BTreeMap, HashMap};

/// Where a render takes its field values from: a recipient's row, a map, a list of pairs.
pub trait Fields {
    /// The value of one field, or `None` when the recipient has no value for it.
    fn field(&self, name: &str) -> Option<&str>;
}

impl Fields for HashMap<String, String> {
    fn field(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

impl Fields for BTreeMap<String, String> {
    fn field(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

impl Fields for [(&str, &str)] {
    fn field(&self, name: &str) -> Option<&str> {
        self.iter().find(|(k, _)| *k == name).map(|(_, v)| *v)
    }
}

impl<const N: usize> Fields for [(&str, &str); N] {
    fn field(&self, name: &str) -> Option<&str> {
        self.as_slice().field(name)
    }
}

/// A text with placeholders, as literal pieces and field references.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pattern {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Field(String),
}

impl Pattern {
    /// Splits `text` at `{{name}}`. Names are letters, digits, `_`, `-` and `.`; anything else between braces,
    /// or an unclosed `{{`, is an error that quotes the offending piece.
    pub(crate) fn parse(text: &str) -> Result<Pattern, String> {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find("{{") {
            if open > 0 {
                parts.push(Part::Literal(rest[..open].to_owned()));
            }
            let after = &rest[open + 2..];
            let close = after
                .find("}}")
                .ok_or_else(|| format!("unclosed placeholder at `{}`", snippet(&rest[open..])))?;
            let name = after[..close].trim();
            let valid = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
            if !valid {
                return Err(format!(
                    "bad placeholder name `{{{{{}}}}}`",
                    &after[..close]
                ));
            }
            parts.push(Part::Field(name.to_owned()));
            rest = &after[close + 2..];
        }
        if !rest.is_empty() {
            parts.push(Part::Literal(rest.to_owned()));
        }
        Ok(Pattern { parts })
    }

    /// The fields referenced, in order of appearance (repeats included).
    pub(crate) fn fields(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Field(name) => Some(name.as_str()),
            Part::Literal(_) => None,
        })
    }

    /// Whether the text is the same for every recipient.
    pub(crate) fn is_static(&self) -> bool {
        self.fields().next().is_none()
    }

    /// The text with every placeholder replaced; `escape` XML-escapes the values (for SVG). A field without a
    /// value is returned as the error.
    pub(crate) fn fill(
        &self,
        fields: &(impl Fields + ?Sized),
        escape: bool,
    ) -> Result<String, String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(text) => out.push_str(text),
                Part::Field(name) => {
                    let value = fields.field(name).ok_or_else(|| name.clone())?;
                    if escape {
                        push_xml_escaped(&mut out, value);
                    } else {
                        out.push_str(value);
                    }
                }
            }
        }
        Ok(out)
    }
}

/// Appends `value` with the five XML special characters replaced by entities, so that a recipient's name can
/// never close an element or an attribute.
pub(crate) fn push_xml_escaped(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

fn snippet(text: &str) -> String {
    text.chars().take(30).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_fills() {
        let p = Pattern::parse("Hi {{ first_name }}, vote in {{district}}!").unwrap();
        assert_eq!(p.fields().collect::<Vec<_>>(), ["first_name", "district"]);
        let filled = p
            .fill(&[("first_name", "A<b>"), ("district", "PA-7")], true)
            .unwrap();
        assert_eq!(filled, "Hi A&lt;b&gt;, vote in PA-7!");
        assert_eq!(
            p.fill(&[("first_name", "x")], false),
            Err("district".to_owned())
        );
    }

    #[test]
    fn rejects_malformed_placeholders() {
        assert!(
            Pattern::parse("Hi {{name")
                .unwrap_err()
                .contains("unclosed")
        );
        assert!(
            Pattern::parse("Hi {{na me}}")
                .unwrap_err()
                .contains("bad placeholder")
        );
        assert!(Pattern::parse("no fields").unwrap().is_static());
    }
}
