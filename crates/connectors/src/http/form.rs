//! A message as the Messages API's form, and the API's answers as outcomes.

use reqwest::StatusCode;
use serde_json::Value;

use crate::{Content, OutboundMessage, SubmitOutcome};

/// The form for `message`. Text goes in `Body`. An MMS goes as `Body` (its text/plain parts) and `MediaUrl`s:
/// the API fetches media by URL, so each other part must name an `http(s)://` URL and carry no bytes; a part
/// with bytes only is refused (`needs_media_urls`), as we do not host media here.
pub fn message_form(
    message: &OutboundMessage,
    status_callback: Option<&str>,
) -> Result<Vec<(String, String)>, SubmitOutcome> {
    let refuse = |code: &str, reason: String| SubmitOutcome::PermanentFailure {
        code: code.into(),
        reason,
    };
    let mut form = vec![
        ("To".to_owned(), message.to.clone()),
        ("From".to_owned(), message.from.clone()),
    ];
    match &message.content {
        Content::Text(text) => form.push(("Body".into(), text.clone())),
        Content::Mms(mms) => {
            let mut body = mms.subject.clone().unwrap_or_default();
            for part in &mms.parts {
                let is_url = part.name.starts_with("http://") || part.name.starts_with("https://");
                if part.content_type.starts_with("text/plain") && !part.data.is_empty() {
                    if !body.is_empty() {
                        body.push('\n');
                    }
                    body.push_str(&String::from_utf8_lossy(&part.data));
                } else if is_url && part.data.is_empty() {
                    form.push(("MediaUrl".into(), part.name.clone()));
                } else if part.content_type != "application/smil" {
                    return Err(refuse(
                        "needs_media_urls",
                        format!(
                            "part {:?} carries bytes; this API takes media by URL only",
                            part.name
                        ),
                    ));
                }
            }
            if !body.is_empty() {
                form.push(("Body".into(), body));
            }
        }
        Content::Rcs(_) => {
            return Err(refuse(
                "unsupported_content",
                "RCS content cannot go through a Twilio-compatible Messages API".into(),
            ));
        }
    }
    if let Some(validity) = message.validity {
        // Twilio's ValidityPeriod is whole seconds, 1 to 36000.
        form.push((
            "ValidityPeriod".into(),
            validity.as_secs().clamp(1, 36_000).to_string(),
        ));
    }
    if let Some(url) = status_callback.filter(|_| message.want_receipt) {
        form.push(("StatusCallback".into(), url.to_owned()));
    }
    Ok(form)
}

/// Twilio codes that mean "slow down".
const THROTTLE_CODES: [i64; 2] = [20429, 14107];

/// Any answer that is not a success, as an outcome. Twilio's error JSON is `{code, message, status}`.
pub fn refusal(
    status: StatusCode,
    body: &Value,
    retry_after: Option<std::time::Duration>,
) -> SubmitOutcome {
    let code = body["code"].as_i64();
    let message = body["message"].as_str().unwrap_or("no message").to_owned();
    let code_text = code.map_or_else(|| status.as_u16().to_string(), |c| c.to_string());
    if status == StatusCode::TOO_MANY_REQUESTS || code.is_some_and(|c| THROTTLE_CODES.contains(&c))
    {
        return SubmitOutcome::Throttled { retry_after };
    }
    if status.is_server_error() {
        return SubmitOutcome::TemporaryFailure {
            code: code_text,
            reason: format!("upstream answered {status}: {message}"),
        };
    }
    SubmitOutcome::PermanentFailure {
        code: code_text,
        reason: format!("upstream answered {status}: {message}"),
    }
}
