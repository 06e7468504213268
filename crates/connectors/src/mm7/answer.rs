//! The MMSC's HTTP answer to a SubmitReq, read into an outcome and whether trying again may help.

use std::time::Duration;

use canvass_mm7::{Body, Limits, Status};
use reqwest::{StatusCode as Http, header};

use super::status_table::{Verdict, verdict};
use crate::SubmitOutcome;

/// Answers (SubmitRsp, RSErrorRsp, SOAP faults) are small; a bigger body is not an MM7 answer.
const MAX_ANSWER_BYTES: usize = 256 * 1024;

/// The result of one HTTP exchange.
#[derive(Debug)]
pub(crate) enum Attempt {
    /// Final for this submit.
    Done(SubmitOutcome),
    /// Certainly not handed over, and the MMSC may take it later: try again, or give this if out of tries.
    Retry(SubmitOutcome),
}

fn temporary(code: impl Into<String>, reason: impl Into<String>) -> SubmitOutcome {
    SubmitOutcome::TemporaryFailure {
        code: code.into(),
        reason: reason.into(),
    }
}

fn permanent(code: impl Into<String>, reason: impl Into<String>) -> SubmitOutcome {
    SubmitOutcome::PermanentFailure {
        code: code.into(),
        reason: reason.into(),
    }
}

/// A transport error. Only a refused connection proves the MMSC never saw the request; after a timeout or
/// a dropped connection it may have accepted it, so that is reported, not retried here (dispatch decides).
pub(crate) fn transport_error(error: &reqwest::Error) -> Attempt {
    if error.is_timeout() {
        Attempt::Done(temporary("timeout", "the MMSC did not answer in time"))
    } else if crate::tls::is_certificate_error(error) {
        // Never sent, but the same certificate will be refused again: no point in retrying.
        Attempt::Done(temporary(
            "tls-certificate",
            format!(
                "the MMSC's certificate is not trusted: {}",
                crate::tls::error_chain(error)
            ),
        ))
    } else if error.is_connect() {
        Attempt::Retry(temporary(
            "connect",
            format!(
                "cannot connect to the MMSC: {}",
                crate::tls::error_chain(error)
            ),
        ))
    } else {
        Attempt::Done(temporary(
            "connection",
            format!(
                "the exchange with the MMSC failed: {}",
                crate::tls::error_chain(error)
            ),
        ))
    }
}

/// Reads the MMSC's answer. `fallback_id` stands in for a missing MessageID on success.
pub(crate) async fn read(response: reqwest::Response, fallback_id: &str) -> Attempt {
    let status = response.status();
    let retry_after = retry_after(response.headers());
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(str::to_string);
    if status == Http::UNAUTHORIZED || status == Http::FORBIDDEN {
        return Attempt::Done(permanent(
            format!("http_{}", status.as_u16()),
            "the MMSC refused our credentials",
        ));
    }
    if status == Http::TOO_MANY_REQUESTS
        || (status == Http::SERVICE_UNAVAILABLE && retry_after.is_some())
    {
        return Attempt::Done(SubmitOutcome::Throttled { retry_after });
    }
    let body = match read_capped(response).await {
        Ok(body) => body,
        Err(error) => return transport_error(&error),
    };
    let limits = Limits {
        max_message_bytes: MAX_ANSWER_BYTES,
        ..Limits::default()
    };
    let answer = canvass_mm7::decode_http_with_limits(content_type.as_deref(), &body, &limits);
    let mm7_status = answer.as_ref().ok().and_then(|envelope| {
        let message_id = match &envelope.body {
            Body::SubmitRsp(rsp) => rsp.message_id.clone(),
            _ => None,
        };
        envelope.body.status().map(|s| (s.clone(), message_id))
    });
    match mm7_status {
        Some((status, message_id)) => by_status(&status, message_id, fallback_id, retry_after),
        None if status.is_server_error() => Attempt::Retry(temporary(
            format!("http_{}", status.as_u16()),
            format!("the MMSC failed: HTTP {status}"),
        )),
        None if status.is_success() => {
            let why = answer
                .err()
                .map_or_else(|| "no status".to_string(), |e| e.to_string());
            // It may have accepted the message; we cannot tell, so this is not retried here.
            Attempt::Done(temporary(
                "protocol",
                format!("unreadable SubmitRsp: {why}"),
            ))
        }
        None => Attempt::Done(permanent(
            format!("http_{}", status.as_u16()),
            format!("the MMSC refused the request: HTTP {status}"),
        )),
    }
}

fn by_status(
    status: &Status,
    message_id: Option<String>,
    fallback_id: &str,
    retry_after: Option<Duration>,
) -> Attempt {
    let code = status.code.code().to_string();
    let reason = if status.text.is_empty() {
        status.code.description().to_string()
    } else {
        status.text.clone()
    };
    match verdict(status.code) {
        Verdict::Accepted => Attempt::Done(SubmitOutcome::Accepted {
            carrier_ids: vec![message_id.unwrap_or_else(|| fallback_id.to_string())],
        }),
        Verdict::Throttled => Attempt::Done(SubmitOutcome::Throttled { retry_after }),
        Verdict::Temporary => Attempt::Retry(temporary(code, reason)),
        Verdict::Permanent => Attempt::Done(permanent(code, reason)),
    }
}

async fn read_capped(mut response: reqwest::Response) -> Result<Vec<u8>, reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = MAX_ANSWER_BYTES.saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if room < chunk.len() {
            break;
        }
    }
    Ok(body)
}

/// `Retry-After` in seconds (the HTTP-date form is rare from MMSCs and is ignored).
fn retry_after(headers: &header::HeaderMap) -> Option<Duration> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}
