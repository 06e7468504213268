//! The webhook receiver: RBM posts each event (DELIVERED, READ, IS_TYPING, user messages) wrapped in a Pub/Sub
//! push envelope whose `message.data` is the event JSON in base64, signed with `X-Goog-Signature`. Receipts and
//! user messages go onto the connector's event stream.

use std::sync::Arc;

use axum::{
    Json, Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
};
use base64::{Engine, engine::general_purpose::STANDARD};
use serde_json::{Value, json};

use super::{revoke::RevokeTimers, signature};
use crate::{
    ConnectorEvent, DeliveryState, EventSender, InboundMessage, MediaPart, Receipt, Settled,
};

/// The path RBM posts to, under the receiver's address.
pub const WEBHOOK_PATH: &str = "/rbm/events";

/// What the receiver needs.
pub struct Receiver {
    /// The webhook's client token; `None` accepts unsigned events (for a receiver behind a trusted proxy).
    pub client_token: Option<String>,
    /// Our agent id, as the `to` of user messages.
    pub agent_id: String,
    /// Where events go.
    pub events: EventSender,
    /// Delivery stops a message's revoke timer.
    pub timers: Arc<RevokeTimers>,
}

/// The receiver's routes: `POST /rbm/events`.
pub fn router(receiver: Arc<Receiver>) -> Router {
    Router::new()
        .route(WEBHOOK_PATH, post(receive))
        .with_state(receiver)
}

/// The event JSON: the decoded `message.data` of a push envelope, or the body itself when it is not wrapped.
fn event_bytes(body: &Value, raw: &[u8]) -> Option<Vec<u8>> {
    match body["message"]["data"].as_str() {
        Some(data) => STANDARD.decode(data).ok(),
        None => Some(raw.to_vec()),
    }
}

async fn receive(
    State(receiver): State<Arc<Receiver>>,
    headers: HeaderMap,
    raw: Bytes,
) -> Response {
    let Ok(body) = serde_json::from_slice::<Value>(&raw) else {
        return (StatusCode::BAD_REQUEST, "not JSON").into_response();
    };
    // RBM's webhook set-up handshake: echo the secret when the client token is ours.
    if let (Some(token), Some(secret)) = (body["clientToken"].as_str(), body["secret"].as_str()) {
        return if receiver.client_token.as_deref() == Some(token) {
            Json(json!({ "secret": secret })).into_response()
        } else {
            StatusCode::FORBIDDEN.into_response()
        };
    }
    let Some(event_json) = event_bytes(&body, &raw) else {
        return (StatusCode::BAD_REQUEST, "message.data is not base64").into_response();
    };
    if let Some(token) = &receiver.client_token {
        let signature = headers
            .get("x-goog-signature")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if !signature::verify(token, &event_json, signature) {
            tracing::warn!("RBM event with a bad X-Goog-Signature refused");
            return StatusCode::FORBIDDEN.into_response();
        }
    }
    let event = match serde_json::from_slice::<Value>(&event_json) {
        Ok(event) => to_connector_event(&event, &receiver.agent_id),
        Err(error) => Some(ConnectorEvent::Unparsed {
            source: "rbm webhook".into(),
            reason: format!("event is not JSON: {error}"),
            raw: event_json.into(),
        }),
    };
    if let Some(event) = event {
        if let ConnectorEvent::Receipt(receipt) = &event {
            receiver.timers.delivered(&receipt.carrier_id);
        }
        if receiver.events.send_and_wait(event).await == Settled::NotKept {
            // Not stored: RBM sends a webhook again until it gets a 2xx.
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    }
    StatusCode::OK.into_response()
}

/// One RBM event as a connector event; `None` for events we do not report (IS_TYPING).
pub fn to_connector_event(event: &Value, agent_id: &str) -> Option<ConnectorEvent> {
    let from = event["senderPhoneNumber"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let message_id = event["messageId"].as_str().map(str::to_owned);
    if let Some(event_type) = event["eventType"].as_str() {
        let state = match event_type {
            "DELIVERED" => DeliveryState::Delivered,
            "READ" => DeliveryState::Read,
            "TTL_EXPIRATION_REVOKED" => DeliveryState::Deleted,
            "IS_TYPING" => return None,
            other => return Some(unparsed(event, format!("event type {other}"))),
        };
        return Some(ConnectorEvent::Receipt(Receipt {
            carrier_id: message_id.unwrap_or_default(),
            state,
            error_code: None,
            to: Some(from),
        }));
    }
    let mut inbound = InboundMessage {
        from,
        to: event["agentId"].as_str().unwrap_or(agent_id).to_owned(),
        text: None,
        media: Vec::new(),
        carrier_id: message_id,
        postback: None,
    };
    if let Some(text) = event["text"].as_str() {
        inbound.text = Some(text.to_owned());
    } else if let Some(response) = event.get("suggestionResponse") {
        inbound.text = response["text"].as_str().map(str::to_owned);
        inbound.postback = response["postbackData"].as_str().map(str::to_owned);
    } else if let Some(payload) = event.get("userFile").map(|file| &file["payload"]) {
        // The file stays on Google's side; the part names its URL and carries no bytes.
        inbound.media.push(MediaPart {
            content_type: payload["mimeType"]
                .as_str()
                .unwrap_or("application/octet-stream")
                .into(),
            name: payload["fileUri"].as_str().unwrap_or_default().into(),
            data: bytes::Bytes::new(),
        });
    } else {
        return Some(unparsed(
            event,
            "a user event with no text, suggestion or file".into(),
        ));
    }
    Some(ConnectorEvent::Inbound(inbound))
}

fn unparsed(event: &Value, reason: String) -> ConnectorEvent {
    ConnectorEvent::Unparsed {
        source: "rbm webhook".into(),
        reason,
        raw: serde_json::to_vec(event).unwrap_or_default().into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(event: Value) -> Option<ConnectorEvent> {
        to_connector_event(&event, "our-agent")
    }

    #[test]
    fn message_events_become_receipts_and_typing_is_dropped() {
        let delivered = json!({"senderPhoneNumber": "+12025550301", "eventType": "DELIVERED", "messageId": "m1"});
        match convert(delivered) {
            Some(ConnectorEvent::Receipt(r)) => {
                assert_eq!(
                    (r.carrier_id.as_str(), r.state),
                    ("m1", DeliveryState::Delivered)
                );
                assert_eq!(r.to.as_deref(), Some("+12025550301"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            convert(json!({"eventType": "IS_TYPING", "messageId": "m2"})),
            None
        );
        assert!(matches!(
            convert(json!({"eventType": "SOMETHING_NEW", "messageId": "m3"})),
            Some(ConnectorEvent::Unparsed { .. })
        ));
    }

    #[test]
    fn a_user_file_becomes_a_media_part_naming_its_url() {
        let event = json!({
            "senderPhoneNumber": "+12025550302",
            "messageId": "u1",
            "userFile": {"payload": {"mimeType": "image/jpeg", "fileUri": "https://rcs.example/f/1", "fileName": "a.jpg"}}
        });
        match convert(event) {
            Some(ConnectorEvent::Inbound(m)) => {
                assert_eq!(m.to, "our-agent", "no agentId in the event: ours");
                assert_eq!(m.media.len(), 1);
                assert_eq!(m.media[0].content_type, "image/jpeg");
                assert_eq!(m.media[0].name, "https://rcs.example/f/1");
                assert_eq!(m.text, None);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            convert(json!({"senderPhoneNumber": "+1", "location": {"latitude": 1.0}})),
            Some(ConnectorEvent::Unparsed { .. })
        ));
    }
}
