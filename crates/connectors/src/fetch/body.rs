//! Reading a media response within bounds: an allowed type, and never more than `max_bytes` in memory
//! whatever `Content-Length` says.

use bytes::Bytes;

use super::{FetchError, FetchPolicy, Fetched};

/// The most memory reserved up front from a `Content-Length`: the header is the sender's claim, so a
/// large one grows the buffer only as bytes actually arrive.
const PREALLOCATE_AT_MOST: usize = 64 * 1024;

/// Checks the type and size of a 2xx response and reads its body.
pub(crate) async fn read(
    mut response: reqwest::Response,
    policy: &FetchPolicy,
    map_error: impl Fn(reqwest::Error) -> FetchError,
) -> Result<Fetched, FetchError> {
    let url = response.url().to_string();
    let content_type = content_type(&response)?;
    if !type_allowed(&content_type, &policy.allowed_content_types) {
        return Err(FetchError::ContentType(content_type));
    }
    let too_large = FetchError::TooLarge {
        limit: policy.max_bytes,
    };
    let declared = response.content_length();
    if declared.is_some_and(|length| length > policy.max_bytes as u64) {
        return Err(too_large);
    }
    let reserve = declared
        .map_or(0, |length| length as usize)
        .min(PREALLOCATE_AT_MOST);
    let mut body = Vec::with_capacity(reserve);
    while let Some(chunk) = response.chunk().await.map_err(&map_error)? {
        // Stop at the first chunk past the limit: a body without Content-Length may never end.
        if chunk.len() > policy.max_bytes - body.len() {
            return Err(too_large);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Fetched {
        url,
        content_type,
        bytes: Bytes::from(body),
    })
}

/// The `Content-Type` as sent, trimmed; a missing or non-text header is refused.
fn content_type(response: &reqwest::Response) -> Result<String, FetchError> {
    let Some(value) = response.headers().get(reqwest::header::CONTENT_TYPE) else {
        return Err(FetchError::ContentType(String::new()));
    };
    let text = value
        .to_str()
        .map_err(|_| FetchError::ContentType(String::from_utf8_lossy(value.as_bytes()).into()))?
        .trim();
    if text.is_empty() {
        return Err(FetchError::ContentType(String::new()));
    }
    Ok(text.to_owned())
}

/// Whether the media type of `content_type` (parameters dropped, case ignored) is allowed. An entry ending
/// in `/` (`image/`) allows every subtype; any other entry (`text/plain`) must match the whole type, so
/// `text/plain` does not admit `text/plainx`.
pub(crate) fn type_allowed(content_type: &str, allowed: &[String]) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    allowed.iter().any(|entry| {
        let entry = entry.trim().to_ascii_lowercase();
        if entry.ends_with('/') {
            essence.len() > entry.len() && essence.starts_with(&entry)
        } else {
            essence == entry
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_match_by_prefix_or_exactly() {
        let allowed = FetchPolicy::default().allowed_content_types;
        for ok in [
            "image/jpeg",
            "IMAGE/PNG",
            "image/gif; charset=binary",
            " video/mp4 ",
            "audio/amr",
            "text/vcard",
            "text/x-vcard; charset=utf-8",
            "text/calendar",
            "application/pdf",
            "text/plain; charset=utf-8",
        ] {
            assert!(type_allowed(ok, &allowed), "{ok} allowed");
        }
        for refused in [
            "",
            "image/",
            "image",
            "text/html",
            "text/plainx",
            "application/octet-stream",
            "application/pdfx",
            "application/x-imagefoo",
            "multipart/mixed",
        ] {
            assert!(!type_allowed(refused, &allowed), "{refused} refused");
        }
    }
}
