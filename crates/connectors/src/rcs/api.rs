//! The RBM REST calls an agent makes: capability check, create agent message, revoke. Each turns RBM's answer
//! into a submit outcome.

use reqwest::{Method, StatusCode, Url};
use serde_json::Value;

use crate::{
    ConnectorError, SubmitOutcome,
    http::transport::{RetryPolicy, retry_after, send_retrying},
};

/// An RBM API endpoint with our credentials.
#[derive(Debug)]
pub struct RbmApi {
    pub(super) http: reqwest::Client,
    pub(super) base: Url,
    pub(super) token: String,
    pub(super) retry: RetryPolicy,
}

/// Google's error body: `{"error": {"code", "message", "status"}}`.
async fn google_error(response: reqwest::Response) -> (StatusCode, String, String) {
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    let error = &body["error"];
    let code = error["status"]
        .as_str()
        .map_or_else(|| status.as_u16().to_string(), str::to_owned);
    let message = error["message"]
        .as_str()
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("error"))
        .to_owned();
    (status, code, message)
}

pub(super) fn not_rcs_capable(msisdn: &str) -> SubmitOutcome {
    SubmitOutcome::PermanentFailure {
        code: "not_rcs_capable".into(),
        reason: format!("{msisdn} cannot receive RCS (RBM answered 404)"),
    }
}

/// Any answer that is not a success, as an outcome.
async fn refusal(response: reqwest::Response, msisdn: &str) -> SubmitOutcome {
    let pause = retry_after(&response);
    let (status, code, message) = google_error(response).await;
    match status {
        StatusCode::NOT_FOUND => not_rcs_capable(msisdn),
        StatusCode::TOO_MANY_REQUESTS => SubmitOutcome::Throttled { retry_after: pause },
        status if status.is_server_error() => SubmitOutcome::TemporaryFailure {
            code: status.as_u16().to_string(),
            reason: format!("RBM {code}: {message}"),
        },
        _ => SubmitOutcome::PermanentFailure {
            code,
            reason: format!("RBM answered {status}: {message}"),
        },
    }
}

impl RbmApi {
    /// `{base}/v1/phones/{msisdn}/{tail...}`
    fn url(&self, msisdn: &str, tail: &[&str]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments
                .pop_if_empty()
                .extend(["v1", "phones", msisdn])
                .extend(tail);
        }
        url
    }

    fn request(&self, method: Method, url: Url) -> reqwest::RequestBuilder {
        self.http.request(method, url).bearer_auth(&self.token)
    }

    async fn capability_answer(&self, msisdn: &str) -> Result<reqwest::Response, SubmitOutcome> {
        let mut url = self.url(msisdn, &["capabilities"]);
        url.query_pairs_mut()
            .append_pair("requestId", &random_request_id());
        send_retrying(self.retry, || self.request(Method::GET, url.clone())).await
    }

    /// Asks RBM whether `msisdn` can receive RCS: `Ok(true)` when it can, `Ok(false)` when RBM answered 404;
    /// otherwise (no answer, throttled, refused) the outcome to report.
    pub async fn capable(&self, msisdn: &str) -> Result<bool, SubmitOutcome> {
        let response = self.capability_answer(msisdn).await?;
        match response.status() {
            status if status.is_success() => Ok(true),
            StatusCode::NOT_FOUND => Ok(false),
            _ => Err(refusal(response, msisdn).await),
        }
    }

    /// Creates the agent message. A 409 means RBM already holds a message with this id, which is ours from an
    /// earlier attempt whose answer was lost: accepted, not sent twice.
    pub async fn send(&self, msisdn: &str, message_id: &str, body: &Value) -> SubmitOutcome {
        let mut url = self.url(msisdn, &["agentMessages"]);
        url.query_pairs_mut().append_pair("messageId", message_id);
        let answer = send_retrying(self.retry, || {
            self.request(Method::POST, url.clone()).json(body)
        })
        .await;
        let response = match answer {
            Ok(response) => response,
            Err(outcome) => return outcome,
        };
        match response.status() {
            status if status.is_success() || status == StatusCode::CONFLICT => {
                SubmitOutcome::Accepted {
                    carrier_ids: vec![message_id.to_owned()],
                }
            }
            _ => refusal(response, msisdn).await,
        }
    }

    /// Revokes a message not yet delivered. True when RBM revoked it; a 404 means it was delivered already.
    pub async fn revoke(&self, msisdn: &str, message_id: &str) -> bool {
        let url = self.url(msisdn, &["agentMessages", message_id]);
        match send_retrying(self.retry, || self.request(Method::DELETE, url.clone())).await {
            Ok(response) => response.status().is_success(),
            Err(outcome) => {
                tracing::warn!(?outcome, message_id, "revoke not answered");
                false
            }
        }
    }

    /// The health check: a capability check for `msisdn` must be answered, and not with 401/403.
    pub async fn health(&self, msisdn: &str) -> Result<(), ConnectorError> {
        let peer = self.base.to_string();
        let response = match self.capability_answer(msisdn).await {
            Ok(response) => response,
            Err(outcome) => {
                return Err(ConnectorError::Unreachable {
                    peer,
                    reason: format!("{outcome:?}"),
                });
            }
        };
        match response.status() {
            status if status.is_success() || status == StatusCode::NOT_FOUND => Ok(()),
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                let (_, code, message) = google_error(response).await;
                Err(ConnectorError::Refused {
                    peer,
                    reason: format!("{code}: {message}"),
                })
            }
            status => Err(ConnectorError::Protocol {
                peer,
                reason: format!("capability check answered {status}"),
            }),
        }
    }
}

/// RBM wants a fresh id per capability request.
fn random_request_id() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..32)
        .map(|_| char::from_digit(rng.random_range(0..16), 16).unwrap_or('0'))
        .collect()
}
