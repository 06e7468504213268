//! A variant's text as one sample contact would get it, with what it costs as SMS: authors see at once when a long
//! name or a stray emoji pushes a message into another segment or into UCS-2.

use crate::definition::Compiled;
use crate::sms_cost::{Encoding, sms_cost};
use crate::text::TemplateError;
use serde::Serialize;

/// A rendered variant and its SMS cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Preview {
    /// The text as sent.
    pub text: String,
    /// The MMS subject, when the variant has one.
    pub subject: Option<String>,
    /// GSM-7 or UCS-2.
    pub encoding: Encoding,
    /// SMS parts.
    pub segments: usize,
    /// Characters (Unicode scalar values), as an author counts them.
    pub chars: usize,
}

/// Why a preview failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PreviewError {
    /// The campaign has no variant of that name.
    #[error("no variant is called {0:?}")]
    UnknownVariant(String),
    /// The template failed for this contact (e.g. it ran out of fuel).
    #[error("{0}")]
    Template(#[from] TemplateError),
}

/// Renders `variant` for `contact` (a JSON object of the contact's fields: `first_name`, `state`, `district`, …).
/// When the contact has no `link` field, the campaign's link destination stands in for it; pass the real short
/// link as `link` for an exact count.
pub fn render_preview(
    compiled: &Compiled,
    variant: &str,
    contact: &serde_json::Value,
) -> Result<Preview, PreviewError> {
    let v = compiled
        .variant(variant)
        .ok_or_else(|| PreviewError::UnknownVariant(variant.to_owned()))?;
    let mut fields = contact.clone();
    if let (serde_json::Value::Object(map), Some(link)) = (&mut fields, &compiled.link) {
        map.entry("link")
            .or_insert_with(|| serde_json::Value::String(link.clone()));
    }
    let text = v.text.render(&fields)?;
    let subject = v.subject.as_ref().map(|s| s.render(&fields)).transpose()?;
    let cost = sms_cost(&text);
    Ok(Preview {
        chars: text.chars().count(),
        encoding: cost.encoding,
        segments: cost.segments,
        subject,
        text,
    })
}
