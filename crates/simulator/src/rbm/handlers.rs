//! The RBM routes: capability checks, agent messages and revocations, each answering as the recipient's
//! personality says.

use std::{collections::HashMap, future, sync::Arc, time::Instant};

use axum::{
    Extension, Json, Router,
    body::Bytes,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{delete, get, post},
};
use canvass_types::Personality;
use serde_json::{Value, json};

use super::{
    serve::DropConnection,
    state::{RbmState, ReceivedAgentMessage},
};

pub fn router(state: Arc<RbmState>) -> Router {
    Router::new()
        .route("/v1/phones/{msisdn}/capabilities", get(capabilities))
        .route("/v1/phones/{msisdn}/agentMessages", post(agent_message))
        .route(
            "/v1/phones/{msisdn}/agentMessages/{message_id}",
            delete(revoke),
        )
        .with_state(state)
}

/// An error in Google's JSON error shape.
fn google_error(code: StatusCode, status: &str, message: &str) -> Response {
    let body = json!({ "error": { "code": code.as_u16(), "message": message, "status": status } });
    (code, Json(body)).into_response()
}

/// 429 for `throttle_every` and `rate_limit`, with `Retry-After: 1`: the rate window is a second.
pub(crate) fn paced(error: Response) -> Response {
    ([(header::RETRY_AFTER, "1")], error).into_response()
}

/// The agent a submit counts against: its `agentId`, else its bearer token (one token per agent's account).
fn agent_key<'a>(query: &'a HashMap<String, String>, headers: &'a HeaderMap) -> &'a str {
    query.get("agentId").map(String::as_str).unwrap_or_else(|| {
        headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    })
}

fn not_found() -> Response {
    google_error(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "Requested entity was not found.",
    )
}

/// The 401 to answer, if any: with credentials configured the bearer token must be their password; otherwise
/// any bearer token will do.
fn unauthorized(state: &RbmState, headers: &HeaderMap) -> Option<Response> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let accepted = match (&state.config.credentials, token) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some((_, password)), Some(token)) => token == password,
    };
    (!accepted).then(|| {
        google_error(
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
            "Request had invalid authentication credentials.",
        )
    })
}

fn is_rcs_capable(msisdn: &str) -> bool {
    !matches!(
        Personality::of(msisdn),
        Personality::NotRcsCapable | Personality::Landline
    )
}

async fn capabilities(
    State(state): State<Arc<RbmState>>,
    Path(msisdn): Path<String>,
    headers: HeaderMap,
) -> Response {
    state.capability_asked(&msisdn);
    if let Some(refusal) = unauthorized(&state, &headers) {
        return refusal;
    }
    tokio::time::sleep(state.config.latency).await;
    if !is_rcs_capable(&msisdn) {
        return not_found();
    }
    Json(json!({
        "features": [
            "RICHCARD_STANDALONE", "RICHCARD_CAROUSEL", "ACTION_CREATE_CALENDAR_EVENT",
            "ACTION_DIAL", "ACTION_OPEN_URL", "ACTION_SHARE_LOCATION", "ACTION_VIEW_LOCATION"
        ]
    }))
    .into_response()
}

fn quota_exceeded() -> Response {
    google_error(
        StatusCode::TOO_MANY_REQUESTS,
        "RESOURCE_EXHAUSTED",
        "Quota exceeded for agent messages.",
    )
}

/// What RBM itself refuses before looking at the recipient: a missing id or content, a carousel out of range.
fn invalid_request(message_id: Option<&String>, body: &Value) -> Option<&'static str> {
    if message_id.is_none_or(|id| id.is_empty()) {
        return Some("messageId is required");
    }
    let Some(content) = body.get("contentMessage").and_then(Value::as_object) else {
        return Some("contentMessage is required");
    };
    let cards = content
        .get("richCard")
        .and_then(|card| card.get("carouselCard"))
        .map(|carousel| {
            carousel
                .get("cardContents")
                .and_then(Value::as_array)
                .map_or(0, Vec::len)
        });
    match cards {
        Some(n) if !(2..=10).contains(&n) => Some("a carousel holds 2 to 10 cards"),
        _ => None,
    }
}

async fn agent_message(
    State(state): State<Arc<RbmState>>,
    Extension(dropper): Extension<DropConnection>,
    Path(msisdn): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    raw: Bytes,
) -> Response {
    if let Some(refusal) = unauthorized(&state, &headers) {
        state.stats.refused("rbm");
        return refusal;
    }
    if state
        .pacing
        .throttle(agent_key(&query, &headers), Instant::now())
    {
        state.stats.refused("rbm");
        return paced(quota_exceeded());
    }
    tokio::time::sleep(state.config.latency).await;
    let body: Value = match serde_json::from_slice(&raw) {
        Ok(body) => body,
        Err(_) => {
            state.stats.refused("rbm");
            return google_error(StatusCode::BAD_REQUEST, "INVALID_ARGUMENT", "invalid JSON");
        }
    };
    let message_id = query.get("messageId");
    if let Some(problem) = invalid_request(message_id, &body) {
        state.stats.refused("rbm");
        return google_error(StatusCode::BAD_REQUEST, "INVALID_ARGUMENT", problem);
    }
    let message_id = message_id.cloned().unwrap_or_default();
    let personality = Personality::of(&msisdn);
    match personality {
        Personality::NotRcsCapable | Personality::Landline => {
            state.stats.refused("rbm");
            return not_found();
        }
        Personality::Nack => {
            state.stats.refused("rbm");
            return google_error(
                StatusCode::BAD_REQUEST,
                "INVALID_ARGUMENT",
                "The recipient cannot receive this message.",
            );
        }
        Personality::Throttling if state.first_throttle(&msisdn) => {
            state.stats.refused("rbm");
            return quota_exceeded();
        }
        Personality::NoResponse => {
            state.stats.dropped("rbm");
            return future::pending().await;
        }
        Personality::UnbindOnSubmit => {
            state.stats.dropped("rbm");
            dropper.now();
            return future::pending().await;
        }
        Personality::Slow => tokio::time::sleep(state.config.slow_latency).await,
        _ => {}
    }
    let received = ReceivedAgentMessage {
        msisdn: msisdn.clone(),
        message_id: message_id.clone(),
        body: body.clone(),
    };
    if !state.hold(received) {
        state.stats.refused("rbm");
        return google_error(
            StatusCode::CONFLICT,
            "ALREADY_EXISTS",
            "A message with this messageId already exists.",
        );
    }
    state.stats.accepted("rbm", &msisdn, &raw);
    if !matches!(
        personality,
        Personality::Blackhole | Personality::ReceiptLoss
    ) {
        tokio::spawn(deliver(state.clone(), msisdn.clone(), message_id.clone()));
    }
    Json(json!({
        "name": format!("phones/{msisdn}/agentMessages/{message_id}"),
        "sendTime": jiff::Timestamp::now().to_string(),
        "contentMessage": body.get("contentMessage"),
    }))
    .into_response()
}

/// After the receipt delay: DELIVERED, then READ, unless the agent revoked the message first.
async fn deliver(state: Arc<RbmState>, msisdn: String, message_id: String) {
    tokio::time::sleep(state.config.receipt_delay).await;
    if !state.mark_delivered(&message_id) {
        return;
    }
    for event in ["DELIVERED", "READ"] {
        if let Err(error) = state.message_event(&msisdn, &message_id, event).await {
            tracing::debug!(%error, %message_id, event, "rbm event not posted");
            return;
        }
    }
}

async fn revoke(
    State(state): State<Arc<RbmState>>,
    Path((_msisdn, message_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if let Some(refusal) = unauthorized(&state, &headers) {
        return refusal;
    }
    if state.revoke(&message_id) {
        Json(json!({})).into_response()
    } else {
        not_found()
    }
}
