//! The Twilio-compatible connector: one form POST per message; the answer's `sid` is the carrier id.

use std::sync::{Arc, Mutex};

use futures::future::BoxFuture;
use reqwest::{StatusCode, Url};
use serde_json::Value;
use tokio::{sync::Semaphore, task::JoinHandle};

use super::{
    HttpConfig, form,
    transport::{RetryPolicy, retry_after, send_retrying},
};
use crate::{Capabilities, Channel, Connector, ConnectorError, OutboundMessage, SubmitOutcome};

/// The Messages API of one account.
#[derive(Debug)]
pub struct MessagesApi {
    pub(super) http: reqwest::Client,
    pub(super) base: Url,
    pub(super) account_sid: String,
    pub(super) auth_token: String,
    pub(super) retry: RetryPolicy,
    pub(super) status_callback: Option<String>,
}

impl MessagesApi {
    /// `{base}/2010-04-01/Accounts/{last}`
    fn account_url(&self, last: &str) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments
                .pop_if_empty()
                .extend(["2010-04-01", "Accounts"])
                .push(last);
        }
        url
    }

    fn messages_url(&self) -> Url {
        let mut url = self.account_url(&self.account_sid);
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.push("Messages.json");
        }
        url
    }

    async fn send(&self, message: &OutboundMessage) -> SubmitOutcome {
        let params = match form::message_form(message, self.status_callback.as_deref()) {
            Ok(params) => params,
            Err(outcome) => return outcome,
        };
        let url = self.messages_url();
        let answer = send_retrying(self.retry, || {
            self.http
                .post(url.clone())
                .basic_auth(&self.account_sid, Some(&self.auth_token))
                .form(&params)
        })
        .await;
        let response = match answer {
            Ok(response) => response,
            Err(outcome) => return outcome,
        };
        let status = response.status();
        let pause = retry_after(&response);
        let body: Value = match response.json().await {
            Ok(body) => body,
            Err(error) if status.is_success() => {
                // Taken, but we cannot read its id: not handed over as far as we can prove.
                return SubmitOutcome::TemporaryFailure {
                    code: "unreadable_answer".into(),
                    reason: error.to_string(),
                };
            }
            Err(_) => Value::Null,
        };
        if !status.is_success() {
            return form::refusal(status, &body, pause);
        }
        match body["sid"].as_str() {
            Some(sid) if !sid.is_empty() => SubmitOutcome::Accepted {
                carrier_ids: vec![sid.to_owned()],
            },
            _ => SubmitOutcome::TemporaryFailure {
                code: "no_sid".into(),
                reason: "the upstream accepted without a sid".into(),
            },
        }
    }

    /// The health check: fetch our account; 401/403 means our credentials are refused.
    pub async fn health(&self) -> Result<(), ConnectorError> {
        let peer = self.base.to_string();
        let url = self.account_url(&format!("{}.json", self.account_sid));
        let response = self
            .http
            .get(url)
            .basic_auth(&self.account_sid, Some(&self.auth_token))
            .send()
            .await
            .map_err(|e| ConnectorError::Unreachable {
                peer: peer.clone(),
                reason: e.to_string(),
            })?;
        match response.status() {
            status if status.is_success() => Ok(()),
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Err(ConnectorError::Refused {
                peer,
                reason: format!(
                    "account {} answered {}",
                    self.account_sid,
                    response.status()
                ),
            }),
            status => Err(ConnectorError::Protocol {
                peer,
                reason: format!("account fetch answered {status}"),
            }),
        }
    }
}

pub struct HttpConnector {
    name: String,
    capabilities: Capabilities,
    api: Arc<MessagesApi>,
    window: Semaphore,
    window_size: u32,
    receiver: Mutex<Option<JoinHandle<()>>>,
}

impl HttpConnector {
    pub fn new(
        config: &HttpConfig,
        api: Arc<MessagesApi>,
        receiver: Option<JoinHandle<()>>,
    ) -> Self {
        let window_size = u32::try_from(config.window.max(1)).unwrap_or(u32::MAX);
        Self {
            name: config.name.clone(),
            capabilities: Capabilities {
                channels: vec![Channel::Mms, Channel::Sms],
                max_message_bytes: None,
                max_per_second: config.max_per_second,
                window: config.window.max(1),
            },
            api,
            window: Semaphore::new(window_size as usize),
            window_size,
            receiver: Mutex::new(receiver),
        }
    }
}

impl Connector for HttpConnector {
    fn name(&self) -> &str {
        &self.name
    }

    fn capabilities(&self) -> &Capabilities {
        &self.capabilities
    }

    fn submit<'a>(&'a self, message: &'a OutboundMessage) -> BoxFuture<'a, SubmitOutcome> {
        Box::pin(async move {
            let Ok(_permit) = self.window.acquire().await else {
                return SubmitOutcome::TemporaryFailure {
                    code: "shut_down".into(),
                    reason: format!("connector {} is shut down", self.name),
                };
            };
            self.api.send(message).await
        })
    }

    fn shutdown(&self) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            // Taking every permit waits for the sends in flight; closing refuses new ones.
            if let Ok(all) = self.window.acquire_many(self.window_size).await {
                all.forget();
            }
            self.window.close();
            let receiver = self
                .receiver
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .take();
            if let Some(receiver) = receiver {
                receiver.abort();
            }
        })
    }
}
