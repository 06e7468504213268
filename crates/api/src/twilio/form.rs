//! Form bodies and query strings as Twilio reads them: repeated keys kept in order, and every key checked
//! against the ones the endpoint knows, so that a misspelt parameter is refused by name instead of ignored.

use axum::http::HeaderMap;

use super::error::TwilioError;

/// Longest form body taken: ten media URLs and a 1,600-character body fit many times over.
pub const MAX_FORM_BYTES: usize = 64 * 1024;

/// The body, or Twilio's error body when it is over [`MAX_FORM_BYTES`] (axum's own answer would be plain text).
pub fn body_within_limit(
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<axum::body::Bytes, TwilioError> {
    body.map_err(|e| {
        TwilioError::with_status(
            e.status(),
            20001,
            format!("The request body could not be read: {}", e.body_text()),
        )
    })
}

/// Parameters in the order sent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    /// Parses `application/x-www-form-urlencoded` text.
    pub fn parse(text: &[u8]) -> Self {
        Params(
            form_urlencoded::parse(text)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// A POST body, which must be form-encoded (or empty).
    pub fn from_body(headers: &HeaderMap, body: &[u8]) -> Result<Self, TwilioError> {
        if body.is_empty() {
            return Ok(Params::default());
        }
        let content_type = headers
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !content_type
            .to_ascii_lowercase()
            .starts_with("application/x-www-form-urlencoded")
        {
            return Err(TwilioError::bad(
                20001,
                format!(
                    "The request body must be application/x-www-form-urlencoded, not {:?}",
                    if content_type.is_empty() {
                        "(none)"
                    } else {
                        content_type
                    }
                ),
            ));
        }
        if std::str::from_utf8(body).is_err() {
            return Err(TwilioError::bad(20001, "The request body is not UTF-8"));
        }
        Ok(Params::parse(body))
    }

    /// Refuses any key outside `known`.
    pub fn only(&self, known: &[&str]) -> Result<(), TwilioError> {
        match self.0.iter().find(|(k, _)| !known.contains(&k.as_str())) {
            Some((key, _)) => Err(TwilioError::bad(
                20001,
                format!("Unknown parameter {key:?}"),
            )),
            None => Ok(()),
        }
    }

    /// The single value of `key`; sent twice is refused.
    pub fn one<'a>(&'a self, key: &'a str) -> Result<Option<&'a str>, TwilioError> {
        let mut values = self.all(key);
        let first = values.next();
        if values.next().is_some() {
            return Err(TwilioError::bad(
                20001,
                format!("Parameter {key:?} was given more than once"),
            ));
        }
        Ok(first)
    }

    /// Every value of `key`, in order.
    pub fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// A boolean as the SDKs send one (`true`/`false`, any case).
    pub fn flag(&self, key: &str) -> Result<Option<bool>, TwilioError> {
        match self.one(key)? {
            None => Ok(None),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(v) => Err(TwilioError::bad(
                20001,
                format!("Parameter {key:?} must be true or false, not {v:?}"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_stay_in_order_and_unknown_ones_are_named() {
        let p = Params::parse(b"To=%2B1202&MediaUrl=a&MediaUrl=b&Bdy=x");
        assert_eq!(p.all("MediaUrl").collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(p.one("To"), Ok(Some("+1202")));
        assert!(p.one("MediaUrl").is_err());
        let error = p.only(&["To", "MediaUrl", "Body"]).expect_err("Bdy");
        assert!(error.message.contains("\"Bdy\""), "{}", error.message);
        assert_eq!(
            Params::parse(b"SendAsMms=TRUE").flag("SendAsMms"),
            Ok(Some(true))
        );
        assert!(Params::parse(b"SendAsMms=yes").flag("SendAsMms").is_err());
    }
}
