//! `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, answering as the recipient's personality says.

use std::{
    future,
    sync::{Arc, Mutex, MutexGuard},
    time::Instant,
};

use axum::{
    Extension, Json, Router,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use canvass_types::Personality;
use serde_json::json;

use super::{ReceivedUpstreamMessage, UpstreamState, callbacks};
use crate::rbm::{handlers::paced, serve::DropConnection, webhook::random_hex};

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A poisoned lock only means a handler panicked; the data is still usable for a simulator.
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}

pub fn router(state: Arc<UpstreamState>) -> Router {
    Router::new()
        .route("/2010-04-01/Accounts/{account}", get(fetch_account))
        .route(
            "/2010-04-01/Accounts/{account_sid}/Messages.json",
            post(create_message),
        )
        .with_state(state)
}

/// Twilio's error JSON.
fn twilio_error(status: StatusCode, code: u32, message: &str) -> Response {
    let body = json!({
        "code": code,
        "message": message,
        "more_info": format!("https://www.twilio.com/docs/errors/{code}"),
        "status": status.as_u16(),
    });
    (status, Json(body)).into_response()
}

fn too_many_requests() -> Response {
    twilio_error(StatusCode::TOO_MANY_REQUESTS, 20429, "Too Many Requests")
}

/// Basic auth: the user is the AccountSid in the URL, the password the simulator's auth token.
fn authorized(state: &UpstreamState, account_sid: &str, headers: &HeaderMap) -> bool {
    let Some(encoded) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
    else {
        return false;
    };
    let Ok(decoded) = STANDARD.decode(encoded.trim()) else {
        return false;
    };
    let expected = format!("{account_sid}:{}", state.auth_token());
    decoded == expected.as_bytes()
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Twilio's own checks before it looks at the recipient.
fn invalid_request(params: &[(String, String)]) -> Option<(u32, &'static str)> {
    if param(params, "To").is_none_or(str::is_empty) {
        return Some((21604, "A 'To' phone number is required."));
    }
    if param(params, "From").is_none_or(str::is_empty)
        && param(params, "MessagingServiceSid").is_none()
    {
        return Some((21603, "A 'From' phone number is required."));
    }
    if param(params, "Body").is_none_or(str::is_empty) && param(params, "MediaUrl").is_none() {
        return Some((21602, "Message body is required."));
    }
    None
}

async fn create_message(
    State(state): State<Arc<UpstreamState>>,
    Extension(dropper): Extension<DropConnection>,
    Path(account_sid): Path<String>,
    headers: HeaderMap,
    raw: Bytes,
) -> Response {
    if !authorized(&state, &account_sid, &headers) {
        state.stats.refused("upstream");
        return twilio_error(StatusCode::UNAUTHORIZED, 20003, "Authenticate");
    }
    if state.pacing.throttle(&account_sid, Instant::now()) {
        state.stats.refused("upstream");
        return paced(too_many_requests());
    }
    tokio::time::sleep(state.config.latency).await;
    let params: Vec<(String, String)> = form_urlencoded::parse(&raw).into_owned().collect();
    if let Some((code, message)) = invalid_request(&params) {
        state.stats.refused("upstream");
        return twilio_error(StatusCode::BAD_REQUEST, code, message);
    }
    let to = param(&params, "To").unwrap_or_default().to_owned();
    let personality = Personality::of(&to);
    match personality {
        Personality::Nack => {
            state.stats.refused("upstream");
            let message = format!("The 'To' number {to} is not a valid phone number.");
            return twilio_error(StatusCode::BAD_REQUEST, 21211, &message);
        }
        Personality::Throttling if lock(&state.throttled).insert(to.clone()) => {
            state.stats.refused("upstream");
            return too_many_requests();
        }
        Personality::NoResponse => {
            state.stats.dropped("upstream");
            return future::pending().await;
        }
        Personality::UnbindOnSubmit => {
            state.stats.dropped("upstream");
            dropper.now();
            return future::pending().await;
        }
        Personality::Slow => tokio::time::sleep(state.config.slow_latency).await,
        _ => {}
    }
    let sid = format!("SM{}", random_hex(32));
    state.stats.accepted("upstream", &to, &raw);
    lock(&state.received).push(ReceivedUpstreamMessage {
        sid: sid.clone(),
        account_sid: account_sid.clone(),
        params: params.clone(),
    });
    if let Some(url) = param(&params, "StatusCallback") {
        let final_status = match personality {
            Personality::Blackhole | Personality::ReceiptLoss => None,
            Personality::Landline => Some(("undelivered", Some("30006"))),
            _ => Some(("delivered", None)),
        };
        if let Some(final_status) = final_status {
            tokio::spawn(callbacks::statuses(
                state.clone(),
                url.to_owned(),
                account_sid.clone(),
                sid.clone(),
                params.clone(),
                final_status,
            ));
        }
    }
    let media = params.iter().filter(|(k, _)| k == "MediaUrl").count();
    let body = json!({
        "sid": sid,
        "account_sid": account_sid,
        "to": to,
        "from": param(&params, "From"),
        "body": param(&params, "Body").unwrap_or_default(),
        "status": "queued",
        "num_segments": "1",
        "num_media": media.to_string(),
        "direction": "outbound-api",
        "api_version": "2010-04-01",
        "date_created": jiff::Timestamp::now().to_string(),
        "error_code": null,
        "error_message": null,
        "uri": format!("/2010-04-01/Accounts/{account_sid}/Messages/{sid}.json"),
    });
    (StatusCode::CREATED, Json(body)).into_response()
}

/// `GET /2010-04-01/Accounts/{AccountSid}.json`: clients fetch their account as a credentials check.
async fn fetch_account(
    State(state): State<Arc<UpstreamState>>,
    Path(account): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(account_sid) = account.strip_suffix(".json") else {
        return twilio_error(
            StatusCode::NOT_FOUND,
            20404,
            "The requested resource was not found",
        );
    };
    if !authorized(&state, account_sid, &headers) {
        return twilio_error(StatusCode::UNAUTHORIZED, 20003, "Authenticate");
    }
    Json(json!({
        "sid": account_sid,
        "friendly_name": "Canvass simulator",
        "status": "active",
        "type": "Full",
    }))
    .into_response()
}
