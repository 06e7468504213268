//! SubmitReq, answered by the personality of its first recipient (an MM7 answer covers the whole request;
//! every recipient is counted and gets its own delivery report).

use std::sync::Arc;

use axum::{
    body::Bytes,
    extract::{Extension, State},
    http::{HeaderMap, StatusCode, header},
    response::Response,
};
use canvass_mm7::{Body, Envelope, Part, PartBody, StatusCode as Mm7Code, SubmitReq};
use canvass_types::Personality;

use super::rate::{self, ConnectionRate};
use super::server::Hangup;
use super::soap::Reply;
use super::{INTERFACE, Shared};

/// Seconds a throttled VASP is asked to wait.
const THROTTLE_RETRY_AFTER_SECS: u64 = 1;

/// How long a no-response submit is held before it is answered after all.
const NO_RESPONSE_HOLD: std::time::Duration = std::time::Duration::from_secs(300);

pub(crate) async fn submit(
    State(shared): State<Arc<Shared>>,
    Extension(hangup): Extension<Hangup>,
    Extension(connection_rate): Extension<ConnectionRate>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(refusal) = super::auth::check(&shared.config, &headers) {
        return refusal;
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let request = match canvass_mm7::decode_http(content_type, &body) {
        Ok(request) => request,
        Err(error) => {
            shared.stats.refused(INTERFACE);
            let details = format!("cannot read the request: {error}");
            return Reply::unknown().error(
                StatusCode::BAD_REQUEST,
                Mm7Code::MessageFormatCorrupt,
                &details,
            );
        }
    };
    let reply = Reply::to(&request);
    let Body::SubmitReq(submit) = &request.body else {
        shared.stats.refused(INTERFACE);
        let details = format!(
            "this MMSC takes SubmitReq only, not {}",
            request.body.element_name()
        );
        return reply.error(
            StatusCode::BAD_REQUEST,
            Mm7Code::UnsupportedOperation,
            &details,
        );
    };
    let recipients = recipients(submit);
    let Some(first) = recipients.first() else {
        shared.stats.refused(INTERFACE);
        return reply.refused(Mm7Code::AddressError, "no recipient");
    };
    shared.remember_namespace(&request.namespace);
    if !shared.config.latency.is_zero() {
        tokio::time::sleep(shared.config.latency).await;
    }
    let user = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(super::auth::basic_credentials)
        .map(|(user, _)| user);
    let within_rate = rate::admit(
        shared.config.rate_limit,
        user.as_deref(),
        &connection_rate,
        &shared.user_rates,
    );
    if !within_rate || shared.throttle_this_submit() {
        shared.stats.refused(INTERFACE);
        return reply.throttled(THROTTLE_RETRY_AFTER_SECS);
    }
    match Personality::of(first) {
        Personality::Throttling if shared.first_submit_to(first) => {
            shared.stats.refused(INTERFACE);
            reply.throttled(THROTTLE_RETRY_AFTER_SECS)
        }
        Personality::Nack => {
            shared.stats.refused(INTERFACE);
            reply.refused(
                Mm7Code::MessageRejected,
                "recipient refused by the simulator's nack range",
            )
        }
        Personality::UnbindOnSubmit => {
            shared.stats.dropped(INTERFACE);
            hangup.now();
            std::future::pending().await
        }
        Personality::NoResponse => {
            shared.stats.dropped(INTERFACE);
            // Bounded, so that a long benchmark does not pile up connections nobody waits for any more.
            let _ = tokio::time::timeout(NO_RESPONSE_HOLD, shared.until_shutdown()).await;
            reply.error(
                StatusCode::SERVICE_UNAVAILABLE,
                Mm7Code::ServerError,
                "no answer, as asked",
            )
        }
        personality => {
            if personality == Personality::Slow {
                tokio::time::sleep(shared.config.slow_latency).await;
            }
            accept(&shared, &request, submit, &recipients, &reply)
        }
    }
}

fn accept(
    shared: &Arc<Shared>,
    request: &Envelope,
    submit: &SubmitReq,
    recipients: &[String],
    reply: &Reply,
) -> Response {
    let message_id = shared.next_message_id();
    let fingerprint = fingerprint(submit, request.content.as_ref());
    for to in recipients {
        shared.stats.accepted(INTERFACE, to, &fingerprint);
    }
    if submit.delivery_report == Some(true) {
        let sender = submit
            .sender_identification
            .sender_address
            .as_ref()
            .map(|a| a.value.clone())
            .unwrap_or_default();
        for to in recipients {
            super::reports::schedule(
                shared.clone(),
                reply.clone(),
                message_id.clone(),
                to.clone(),
                sender.clone(),
            );
        }
    }
    reply.accepted(&message_id)
}

fn recipients(submit: &SubmitReq) -> Vec<String> {
    let r = &submit.recipients;
    r.to.iter()
        .chain(&r.cc)
        .chain(&r.bcc)
        .map(|a| a.value.clone())
        .collect()
}

/// What identifies a message across resends: subject and content bytes, never the TransactionID (a resend
/// may get a new one).
fn fingerprint(submit: &SubmitReq, content: Option<&Part>) -> Vec<u8> {
    let mut bytes = submit.subject.clone().unwrap_or_default().into_bytes();
    for leaf in content.map(Part::leaves).unwrap_or_default() {
        bytes.extend_from_slice(leaf.content_type.as_bytes());
        if let PartBody::Data(data) = &leaf.body {
            bytes.extend_from_slice(&(data.len() as u64).to_be_bytes());
            bytes.extend_from_slice(data);
        }
    }
    bytes
}
