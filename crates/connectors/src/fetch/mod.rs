//! Fetching media by URL for Twilio-style `MediaUrl` parameters: the API server downloads a
//! developer-supplied URL and attaches the bytes to an MMS.
//!
//! The URL is untrusted and the server sits inside our network, so the fetch is guarded against server-side
//! request forgery and bounded in size and time:
//! - only `http` and `https`, without `user:pass@` credentials;
//! - the host is parsed the WHATWG way (`2130706433`, `0177.0.0.1` and `0x7f.1` become IPv4 addresses) and
//!   checked: internal and special-purpose addresses ([`address::forbidden_reason`]) and names such as
//!   `localhost` are refused unless an operator [`AllowRule`] covers them;
//! - a name is resolved once, by the client's own resolver, and refused if any address it resolves to is
//!   forbidden; the connection uses only those checked addresses;
//! - redirects are followed here, not by reqwest, so every hop gets the same checks;
//! - no proxy (it would resolve the name where we cannot check it);
//! - the body is streamed and cut off past `max_bytes`; `Content-Type` must be an allowed media type; the
//!   whole fetch, redirects and body included, has one deadline.
#![deny(missing_docs)]

pub mod address;
mod allow;
mod body;
mod error;
mod guard;
mod resolve;

use std::{sync::Arc, time::Duration};

use bytes::Bytes;
use url::Url;

pub use allow::AllowRule;
pub use error::FetchError;

use guard::Guard;
use resolve::{CheckedResolver, resolver_error};

/// Limits and exceptions for media fetches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchPolicy {
    /// The largest body accepted, in bytes (default 5 MiB).
    pub max_bytes: usize,
    /// The deadline for the whole fetch: every hop, and the body (default 10 s).
    pub timeout: Duration,
    /// The deadline for one connection, name lookup included (default 3 s).
    pub connect_timeout: Duration,
    /// The most redirects followed (default 3); one more is refused.
    pub max_redirects: usize,
    /// The media types accepted: an entry ending in `/` (`image/`) admits every subtype, any other entry
    /// must match the whole type (parameters and case ignored).
    pub allowed_content_types: Vec<String>,
    /// Internal hosts the operator lets developers name; empty by default (only public addresses).
    pub allow: Vec<AllowRule>,
}

impl Default for FetchPolicy {
    fn default() -> Self {
        FetchPolicy {
            max_bytes: 5 * 1024 * 1024,
            timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(3),
            max_redirects: 3,
            allowed_content_types: [
                "image/",
                "video/",
                "audio/",
                "text/vcard",
                "text/x-vcard",
                "text/calendar",
                "application/pdf",
                "text/plain",
            ]
            .map(String::from)
            .to_vec(),
            allow: Vec::new(),
        }
    }
}

/// A fetched media body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// The URL the body came from, after redirects.
    pub url: String,
    /// The `Content-Type` as the server sent it (trimmed, parameters kept).
    pub content_type: String,
    /// The body, at most the policy's `max_bytes`.
    pub bytes: Bytes,
}

/// Fetches media under one [`FetchPolicy`]; cheap to clone (one shared HTTP client and connection pool).
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    policy: Arc<FetchPolicy>,
    guard: Arc<Guard>,
}

impl Fetcher {
    /// Builds the HTTP client: https trusting the Mozilla roots, no proxy, no automatic redirects, and the
    /// checking resolver.
    pub fn new(policy: FetchPolicy) -> Result<Fetcher, FetchError> {
        let guard = Arc::new(Guard::new(policy.allow.clone()));
        let tls = crate::tls::client_config(&[], false)
            .map_err(|error| FetchError::Config(format!("TLS: {error}")))?;
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .dns_resolver(CheckedResolver::new(guard.clone()))
            .connect_timeout(policy.connect_timeout)
            .timeout(policy.timeout)
            .tcp_nodelay(true)
            .user_agent(concat!("canvass-media-fetch/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| FetchError::Config(format!("HTTP client: {error}")))?;
        Ok(Fetcher {
            client,
            policy: Arc::new(policy),
            guard,
        })
    }

    /// The policy this fetcher applies.
    pub fn policy(&self) -> &FetchPolicy {
        &self.policy
    }

    /// Fetches `url`, following up to `max_redirects` redirects, each hop checked as the first.
    pub async fn fetch(&self, url: &str) -> Result<Fetched, FetchError> {
        let limit = self.policy.timeout;
        tokio::time::timeout(limit, self.follow(url))
            .await
            .unwrap_or(Err(FetchError::Timeout { limit }))
    }

    async fn follow(&self, url: &str) -> Result<Fetched, FetchError> {
        let mut url = Url::parse(url.trim())
            .map_err(|error| FetchError::BadUrl(format!("`{url}`: {error}")))?;
        let mut redirects = 0;
        loop {
            self.guard.check_url(&url)?;
            let response = self
                .client
                .get(url.clone())
                .send()
                .await
                .map_err(|error| self.request_error(error))?;
            let status = response.status();
            if !is_followed_redirect(status) {
                if !status.is_success() {
                    return Err(FetchError::Status(status.as_u16()));
                }
                return body::read(response, &self.policy, |error| self.request_error(error)).await;
            }
            if redirects == self.policy.max_redirects {
                return Err(FetchError::TooManyRedirects {
                    limit: self.policy.max_redirects,
                });
            }
            redirects += 1;
            url = redirect_target(&url, &response)?;
        }
    }

    /// Posts `form` to `url` (a developer's webhook) with extra `headers`, under the same address rules as a
    /// fetch; returns the HTTP status. Redirects are not followed: a webhook answers where it was configured,
    /// and following one would resend the signed body somewhere else.
    pub async fn post_form(
        &self,
        url: &str,
        headers: &[(&str, String)],
        form: &[(String, String)],
    ) -> Result<u16, FetchError> {
        let limit = self.policy.timeout;
        let post = async {
            let url = Url::parse(url.trim())
                .map_err(|error| FetchError::BadUrl(format!("`{url}`: {error}")))?;
            self.guard.check_url(&url)?;
            let mut request = self.client.post(url).form(form);
            for (name, value) in headers {
                request = request.header(*name, value);
            }
            let response = request
                .send()
                .await
                .map_err(|error| self.request_error(error))?;
            Ok(response.status().as_u16())
        };
        tokio::time::timeout(limit, post)
            .await
            .unwrap_or(Err(FetchError::Timeout { limit }))
    }

    /// A reqwest error as a [`FetchError`]: the resolver's refusal if that is the cause, else a timeout or
    /// the error with its causes.
    fn request_error(&self, error: reqwest::Error) -> FetchError {
        if let Some(refusal) = resolver_error(&error) {
            return refusal;
        }
        if error.is_timeout() {
            // The overall deadline is enforced around the whole fetch; a timeout here is the connect one
            // (or reqwest's own per-request copy of the overall deadline).
            let limit = if error.is_connect() {
                self.policy.connect_timeout
            } else {
                self.policy.timeout
            };
            return FetchError::Timeout { limit };
        }
        FetchError::Http(crate::tls::error_chain(&error))
    }
}

/// The redirects a GET follows; 300 and 304 are answers, not redirects.
fn is_followed_redirect(status: reqwest::StatusCode) -> bool {
    matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308)
}

/// Where a redirect points, relative `Location`s taken against the current URL.
fn redirect_target(current: &Url, response: &reqwest::Response) -> Result<Url, FetchError> {
    let Some(location) = response.headers().get(reqwest::header::LOCATION) else {
        return Err(FetchError::Status(response.status().as_u16()));
    };
    let location = location.to_str().map_err(|_| {
        FetchError::BadUrl(format!(
            "the redirect from `{current}` has a Location that is not text"
        ))
    })?;
    current.join(location.trim()).map_err(|error| {
        FetchError::BadUrl(format!(
            "the redirect from `{current}` to `{location}`: {error}"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_resolvers_refusal_comes_back_through_reqwest() {
        // Bypass the fetch loop's own URL check: the name reaches the client's resolver, whose refusal must
        // come back as itself, not as an opaque connection error.
        let fetcher = Fetcher::new(FetchPolicy::default()).expect("builds");
        let error = fetcher
            .client
            .get("http://localhost:9/")
            .send()
            .await
            .expect_err("refused");
        assert_eq!(
            fetcher.request_error(error),
            FetchError::Forbidden {
                host: "localhost".into(),
                addr: None,
                reason: "`localhost` names always mean this machine",
            }
        );
    }

    #[test]
    fn the_default_policy_matches_the_documented_limits() {
        let policy = FetchPolicy::default();
        assert_eq!(policy.max_bytes, 5 * 1024 * 1024);
        assert_eq!(policy.timeout, Duration::from_secs(10));
        assert_eq!(policy.connect_timeout, Duration::from_secs(3));
        assert_eq!(policy.max_redirects, 3);
        assert!(policy.allow.is_empty());
    }
}
