//! Why a media URL was not fetched, worded for the developer who supplied it.

use std::{net::IpAddr, time::Duration};

/// Why a media fetch was refused or failed. [`FetchError::code`] gives a stable machine-readable name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The text is not an absolute URL (or a redirect's `Location` is not one).
    #[error("bad media URL: {0}")]
    BadUrl(String),
    /// The URL's scheme is not `http` or `https`.
    #[error("media URL scheme `{0}:` is not allowed: only http and https URLs are fetched")]
    Scheme(String),
    /// The URL carries a user name or password (`user:pass@host`).
    #[error(
        "media URL must not carry a user name or password (user:pass@host): host the media where it can be \
         fetched without credentials"
    )]
    Credentials,
    /// The host, or an address it resolved to, is internal or special-purpose and no allow rule covers it.
    #[error("{}", forbidden_message(.host, .addr, .reason))]
    Forbidden {
        /// The host as the URL (or redirect) names it.
        host: String,
        /// The address refused, or `None` when the name itself is refused (`localhost`).
        addr: Option<IpAddr>,
        /// What kind of address or name it is.
        reason: &'static str,
    },
    /// The host name could not be resolved.
    #[error("cannot resolve the media host {0}")]
    Resolve(String),
    /// The body is larger than the policy's limit (declared by `Content-Length`, or found while reading).
    #[error("the media is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The policy's `max_bytes`.
        limit: usize,
    },
    /// The response's `Content-Type` is missing (empty string here) or not an allowed media type.
    #[error("{}", content_type_message(.0))]
    ContentType(String),
    /// The server answered with a status other than 2xx (or a redirect without a `Location`).
    #[error("the media server answered HTTP {0}")]
    Status(u16),
    /// The URL redirected more times than the policy allows.
    #[error("the media URL redirected more than {limit} times")]
    TooManyRedirects {
        /// The policy's `max_redirects`.
        limit: usize,
    },
    /// The fetch (connect, or everything including redirects and the body) took too long.
    #[error("fetching the media took longer than {} ms", .limit.as_millis())]
    Timeout {
        /// The limit that ran out.
        limit: Duration,
    },
    /// The connection or the HTTP exchange failed (refused connection, TLS, truncated body, ...).
    #[error("fetching the media failed: {0}")]
    Http(String),
    /// An [`super::AllowRule`] could not be read.
    #[error("bad media fetch allow rule {0}")]
    AllowRule(String),
    /// The fetcher could not be built (TLS or HTTP client settings).
    #[error("media fetcher configuration: {0}")]
    Config(String),
}

impl FetchError {
    /// A stable, machine-readable name for the error, for API error bodies and metrics.
    pub fn code(&self) -> &'static str {
        match self {
            FetchError::BadUrl(_) => "bad_url",
            FetchError::Scheme(_) => "unsupported_scheme",
            FetchError::Credentials => "credentials_in_url",
            FetchError::Forbidden { .. } => "forbidden_address",
            FetchError::Resolve(_) => "resolve_failed",
            FetchError::TooLarge { .. } => "too_large",
            FetchError::ContentType(_) => "unsupported_content_type",
            FetchError::Status(_) => "http_status",
            FetchError::TooManyRedirects { .. } => "too_many_redirects",
            FetchError::Timeout { .. } => "timeout",
            FetchError::Http(_) => "http_error",
            FetchError::AllowRule(_) => "bad_allow_rule",
            FetchError::Config(_) => "config",
        }
    }
}

fn forbidden_message(host: &str, addr: &Option<IpAddr>, reason: &str) -> String {
    let target = match addr {
        Some(addr) if addr.to_string() != host.trim_matches(['[', ']']) => {
            format!("`{host}` (resolved to {addr})")
        }
        _ => format!("`{host}`"),
    };
    format!(
        "refusing to fetch media from {target}: {reason}. Only public internet addresses are fetched unless \
         the operator allows the host"
    )
}

fn content_type_message(content_type: &str) -> String {
    if content_type.is_empty() {
        "the media server sent no Content-Type, so the media's type is unknown".to_owned()
    } else {
        format!("media type `{content_type}` is not allowed for MMS attachments")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_what_and_where() {
        let error = FetchError::Forbidden {
            host: "media.example".into(),
            addr: Some("10.0.0.5".parse().expect("parses")),
            reason: "a private network address (10.0.0.0/8)",
        };
        let text = error.to_string();
        assert!(
            text.contains("`media.example` (resolved to 10.0.0.5)"),
            "{text}"
        );
        assert!(text.contains("private network"), "{text}");
        let literal = FetchError::Forbidden {
            host: "[::1]".into(),
            addr: Some("::1".parse().expect("parses")),
            reason: "the loopback address ::1",
        };
        assert!(!literal.to_string().contains("resolved to"), "{literal}");
        assert_eq!(
            FetchError::ContentType(String::new()).to_string(),
            "the media server sent no Content-Type, so the media's type is unknown"
        );
        assert_eq!(
            FetchError::Timeout {
                limit: Duration::from_millis(300)
            }
            .to_string(),
            "fetching the media took longer than 300 ms"
        );
    }
}
