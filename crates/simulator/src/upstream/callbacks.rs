//! What the upstream posts back: status callbacks for accepted messages and inbound messages, form-encoded and
//! signed with `X-Twilio-Signature`.

use std::sync::Arc;

use super::{INBOUND_ACCOUNT_SID, UpstreamState, signature::twilio_signature};
use crate::rbm::webhook::{CallbackError, check_status, random_hex};

fn pair(name: &str, value: &str) -> (String, String) {
    (name.to_owned(), value.to_owned())
}

async fn post_signed(
    state: &UpstreamState,
    url: &str,
    params: &[(String, String)],
) -> Result<(), CallbackError> {
    let signature = twilio_signature(state.auth_token(), url, params);
    let response = state
        .http
        .post(url)
        .header("X-Twilio-Signature", signature)
        .form(params)
        .send()
        .await
        .map_err(|e| CallbackError::Unreachable {
            url: url.to_owned(),
            reason: e.to_string(),
        })?;
    check_status(url, response.status())
}

/// After the receipt delay: `sent`, then the final status (`delivered`, or `undelivered` with its error code).
pub async fn statuses(
    state: Arc<UpstreamState>,
    url: String,
    account_sid: String,
    sid: String,
    submitted: Vec<(String, String)>,
    (final_status, error_code): (&'static str, Option<&'static str>),
) {
    tokio::time::sleep(state.config.receipt_delay).await;
    let field = |name: &str| {
        submitted
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    };
    for status in ["sent", final_status] {
        let mut params = vec![
            pair("MessageSid", &sid),
            pair("SmsSid", &sid),
            pair("SmsMessageSid", &sid),
            pair("AccountSid", &account_sid),
            pair("From", field("From")),
            pair("To", field("To")),
            pair("MessageStatus", status),
            pair("SmsStatus", status),
            pair("ApiVersion", "2010-04-01"),
        ];
        if status == final_status
            && let Some(code) = error_code
        {
            params.push(pair("ErrorCode", code));
        }
        if let Err(error) = post_signed(&state, &url, &params).await {
            tracing::debug!(%error, %sid, status, "status callback not posted");
            return;
        }
        state.stats.receipt_sent("upstream");
    }
}

/// Twilio's inbound SMS webhook.
pub async fn inbound(
    state: &UpstreamState,
    from: &str,
    to: &str,
    body: &str,
    url: &str,
) -> Result<(), CallbackError> {
    let sid = format!("SM{}", random_hex(32));
    let params = vec![
        pair("MessageSid", &sid),
        pair("SmsMessageSid", &sid),
        pair("SmsSid", &sid),
        pair("AccountSid", INBOUND_ACCOUNT_SID),
        pair("From", from),
        pair("To", to),
        pair("Body", body),
        pair("NumMedia", "0"),
        pair("NumSegments", "1"),
        pair("SmsStatus", "received"),
        pair("ApiVersion", "2010-04-01"),
    ];
    post_signed(state, url, &params).await?;
    state.stats.inbound_sent("upstream");
    Ok(())
}
