//! The strict writer's entry point: SOAP part, then MIME when there is content.

use crate::error::{Error, ErrorKind};
use crate::{Encoded, Envelope, envelope, mime};

/// Writes `envelope` strictly. A message with content becomes a multipart/related whose start is the SOAP
/// part; one without content is a bare `text/xml` SOAP body.
///
/// Fails when a value cannot be written well-formed (control characters, a Content-ID with spaces, …), when
/// the body's `Content href` and the content's Content-ID disagree, or when the message sets an element that
/// the namespace's schema does not define ([`ErrorKind::NotInSchema`]; see [`crate::schema`]).
pub fn encode(envelope: &Envelope) -> Result<Encoded, Error> {
    check_content(envelope)?;
    crate::schema::check(envelope)?;
    let soap = envelope::write(
        &envelope.transaction_id,
        &envelope.namespace,
        &envelope.mm7_version,
        &envelope.body,
    )?;
    match &envelope.content {
        None => Ok(Encoded {
            content_type: "text/xml; charset=\"utf-8\"".to_string(),
            body: soap,
        }),
        Some(content) => {
            let (content_type, body) = mime::write::write(&soap, content)?;
            Ok(Encoded { content_type, body })
        }
    }
}

fn check_content(envelope: &Envelope) -> Result<(), Error> {
    let mismatch = |what: String| Err(Error::new(ErrorKind::ContentMismatch(what), "Content"));
    let reference = envelope.body.content_ref();
    match (&envelope.content, reference) {
        (Some(_), _) if !envelope.body.carries_content() => mismatch(format!(
            "{} carries no content",
            envelope.body.element_name()
        )),
        (Some(_), None) => mismatch("content given but the message has no Content element".into()),
        (Some(content), Some(reference)) => match reference.content_id() {
            Some(id) if content.content_id.as_deref() == Some(id.as_str()) => Ok(()),
            _ => mismatch(format!(
                "href {:?} does not name the content part's Content-ID {:?}",
                reference.href, content.content_id
            )),
        },
        (None, Some(reference)) => match reference.content_id() {
            Some(id) => Err(Error::new(ErrorKind::MissingContent(id), "Content")),
            None => Ok(()),
        },
        (None, None) => Ok(()),
    }
}
