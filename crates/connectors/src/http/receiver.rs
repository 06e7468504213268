//! The receiver for a Twilio-compatible upstream: status callbacks (`POST /twilio/status`) and inbound
//! messages (`POST /twilio/inbound`), form-encoded. Each must carry a valid `X-Twilio-Signature`, computed over
//! the URL the upstream posted to, so the receiver must know its public URL (where the router is mounted);
//! unsigned or tampered posts get 403.

use std::sync::Arc;

use axum::{
    Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode, Uri, header},
    response::{IntoResponse, Response},
    routing::post,
};

use super::signature;
use crate::{
    ConnectorEvent, DeliveryState, EventSender, InboundMessage, MediaPart, Receipt, Settled,
};

/// Where status callbacks are posted, under the receiver's public URL.
pub const STATUS_PATH: &str = "/twilio/status";
/// Where inbound messages are posted.
pub const INBOUND_PATH: &str = "/twilio/inbound";

/// What the receiver needs.
pub struct Receiver {
    /// The account's auth token, which signs every post.
    pub auth_token: String,
    /// The receiver's URL as the upstream sees it, without a trailing slash, e.g. `https://canvass.example`.
    pub public_url: String,
    /// Where events go.
    pub events: EventSender,
}

/// The receiver's routes.
pub fn router(receiver: Arc<Receiver>) -> Router {
    Router::new()
        .route(STATUS_PATH, post(status))
        .route(INBOUND_PATH, post(inbound))
        .with_state(receiver)
}

/// The form's pairs, if the signature over them and the URL holds.
fn verified(
    receiver: &Receiver,
    uri: &Uri,
    headers: &HeaderMap,
    raw: &[u8],
) -> Option<Vec<(String, String)>> {
    let params: Vec<(String, String)> = form_urlencoded::parse(raw).into_owned().collect();
    // The path under the router: when a server nests the router under a prefix, the prefix is part of
    // `public_url`, not of this path.
    let path = uri.path_and_query().map_or(uri.path(), |p| p.as_str());
    let url = format!("{}{path}", receiver.public_url);
    let claimed = headers
        .get("x-twilio-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if signature::verify(&receiver.auth_token, &url, &params, claimed) {
        Some(params)
    } else {
        tracing::warn!(%url, "post with a bad X-Twilio-Signature refused");
        None
    }
}

fn param(params: &[(String, String)], name: &str) -> Option<String> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

/// Twilio's message statuses as delivery states.
pub fn delivery_state(status: &str) -> DeliveryState {
    match status {
        "delivered" => DeliveryState::Delivered,
        "read" => DeliveryState::Read,
        "undelivered" => DeliveryState::Undeliverable,
        "failed" => DeliveryState::Rejected,
        "canceled" => DeliveryState::Deleted,
        "accepted" | "scheduled" | "queued" | "sending" | "sent" => DeliveryState::EnRoute,
        _ => DeliveryState::Unknown,
    }
}

async fn status(
    State(receiver): State<Arc<Receiver>>,
    uri: Uri,
    headers: HeaderMap,
    raw: Bytes,
) -> Response {
    let Some(params) = verified(&receiver, &uri, &headers, &raw) else {
        return (StatusCode::FORBIDDEN, "bad signature").into_response();
    };
    let (Some(sid), Some(status)) = (
        param(&params, "MessageSid"),
        param(&params, "MessageStatus"),
    ) else {
        return (
            StatusCode::BAD_REQUEST,
            "MessageSid and MessageStatus are required",
        )
            .into_response();
    };
    let receipt = Receipt {
        carrier_id: sid,
        state: delivery_state(&status),
        error_code: param(&params, "ErrorCode").filter(|c| !c.is_empty()),
        to: param(&params, "To"),
    };
    match receiver
        .events
        .send_and_wait(ConnectorEvent::Receipt(receipt))
        .await
    {
        Settled::Kept => StatusCode::NO_CONTENT.into_response(),
        // Not stored: a 5xx makes the upstream send the callback again.
        Settled::NotKept => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

async fn inbound(
    State(receiver): State<Arc<Receiver>>,
    uri: Uri,
    headers: HeaderMap,
    raw: Bytes,
) -> Response {
    let Some(params) = verified(&receiver, &uri, &headers, &raw) else {
        return (StatusCode::FORBIDDEN, "bad signature").into_response();
    };
    let media_count: usize = param(&params, "NumMedia")
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
        .min(10);
    // Media stays with the upstream; each part names its URL and carries no bytes.
    let media = (0..media_count)
        .filter_map(|i| {
            let url = param(&params, &format!("MediaUrl{i}"))?;
            let content_type = param(&params, &format!("MediaContentType{i}"))
                .unwrap_or_else(|| "application/octet-stream".into());
            Some(MediaPart {
                content_type,
                name: url,
                data: bytes::Bytes::new(),
            })
        })
        .collect();
    let message = InboundMessage {
        from: param(&params, "From").unwrap_or_default(),
        to: param(&params, "To").unwrap_or_default(),
        text: param(&params, "Body"),
        media,
        carrier_id: param(&params, "MessageSid"),
        postback: None,
    };
    if receiver
        .events
        .send_and_wait(ConnectorEvent::Inbound(message))
        .await
        == Settled::NotKept
    {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let twiml = r#"<?xml version="1.0" encoding="UTF-8"?><Response></Response>"#;
    ([(header::CONTENT_TYPE, "text/xml")], twiml).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twilio_statuses_map_to_delivery_states() {
        let cases = [
            ("queued", DeliveryState::EnRoute),
            ("sending", DeliveryState::EnRoute),
            ("sent", DeliveryState::EnRoute),
            ("delivered", DeliveryState::Delivered),
            ("undelivered", DeliveryState::Undeliverable),
            ("failed", DeliveryState::Rejected),
            ("read", DeliveryState::Read),
            ("canceled", DeliveryState::Deleted),
            ("something-new", DeliveryState::Unknown),
        ];
        for (status, state) in cases {
            assert_eq!(delivery_state(status), state, "{status}");
        }
    }
}
