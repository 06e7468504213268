//! `/v1/messages`: send (JSON, the same checks as Twilio's surface), list with a cursor, fetch, cancel.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use canvass_accounts::Scope;
use canvass_store::{ApiMessage, IdempotentAnswer, MessageQuery, Queued};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, ErrorBody};
use super::request::{acting, json_body};
use crate::ApiState;
use crate::send::{self, SendRequest};
use crate::twilio::resource::twilio_status;

/// A message to send.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendMessage {
    /// Recipient, E.164 (or a US number in any common format).
    #[schema(example = "+12155550199")]
    pub to: String,
    /// A number of the account; or give `messaging_service`.
    #[serde(default)]
    pub from: Option<String>,
    /// A Messaging Service (`MG…`) to pick the sender from.
    #[serde(default)]
    pub messaging_service: Option<String>,
    /// Text, up to 1,600 characters.
    #[serde(default)]
    pub body: Option<String>,
    /// Up to 10 http(s) URLs of pictures, video, audio or vCards, fetched when the message is composed.
    #[serde(default)]
    pub media_urls: Vec<String>,
    /// Where status changes are posted (form-encoded, signed as Twilio's).
    #[serde(default)]
    pub status_callback: Option<String>,
    /// Seconds the message may wait before it fails (1–36,000).
    #[serde(default)]
    pub validity_seconds: Option<i64>,
    /// When to send (RFC 3339, 300 s to 35 days ahead; needs `messaging_service`).
    #[serde(default)]
    pub send_at: Option<String>,
    /// Send as MMS even without media.
    #[serde(default)]
    pub send_as_mms: bool,
}

/// A message's error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct MessageError {
    /// Ours or the carrier's.
    pub code: String,
    /// Details.
    pub message: Option<String>,
}

/// A message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Message {
    /// `SM…` or `MM…`.
    pub sid: String,
    /// The account (`AC…`).
    pub account: String,
    /// `outbound-api`.
    pub direction: String,
    /// Sender.
    pub from: String,
    /// Recipient.
    pub to: String,
    /// Text (empty once redacted).
    pub body: String,
    /// Media URLs.
    pub media_urls: Vec<String>,
    /// The Messaging Service it went through.
    pub messaging_service: Option<String>,
    /// `scheduled`, `queued`, `sending`, `sent`, `delivered`, `undelivered`, `failed` or `canceled`.
    pub status: String,
    /// Why it failed, if it did.
    pub error: Option<MessageError>,
    /// SMS segments of the body.
    pub segments: i64,
    /// RFC 3339.
    pub created_at: String,
    /// Handed to a carrier, RFC 3339.
    pub sent_at: Option<String>,
    /// Scheduled for, RFC 3339.
    pub send_at: Option<String>,
}

/// A page of messages, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct MessagePage {
    /// The messages.
    pub data: Vec<Message>,
    /// Pass as `cursor` for the next page; `null` on the last.
    pub next_cursor: Option<String>,
}

/// List filters.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Only to this number.
    pub to: Option<String>,
    /// Only from this number.
    pub from: Option<String>,
    /// At most this many (1–1000, default 50).
    pub limit: Option<i64>,
    /// From `next_cursor`.
    pub cursor: Option<String>,
}

fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_string()
}

fn message(account: &str, m: &ApiMessage, now: i64) -> Message {
    let (status, _, _) = twilio_status(m, now);
    let failed = matches!(status, "failed" | "undelivered");
    Message {
        sid: m.sid.clone(),
        account: account.to_owned(),
        direction: m.direction.clone(),
        from: m.from.clone(),
        to: m.to.clone(),
        body: m.body.clone(),
        media_urls: m.media.clone(),
        messaging_service: m.messaging_service.clone(),
        status: status.to_owned(),
        error: failed.then(|| MessageError {
            code: m.error_code.clone().unwrap_or_else(|| "unknown".into()),
            message: m.error_detail.clone(),
        }),
        segments: m.segments.unwrap_or(1),
        created_at: rfc3339(m.created_ms),
        sent_at: m.sent_ms.map(rfc3339),
        send_at: m.send_at.map(rfc3339),
    }
}

/// Send a message.
#[utoipa::path(post, path = "/v1/messages", operation_id = "sendMessage", tag = "messages", request_body = SendMessage,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays within 24 h get the first answer")),
    responses(
        (status = 201, description = "Queued", body = Message),
        (status = 400, description = "Refused, with the field", body = ErrorBody),
        (status = 401, description = "No or wrong credentials", body = ErrorBody),
        (status = 403, description = "No access to the account or scope", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Idempotency-Key reused with other parameters", body = ErrorBody),
        (status = 429, description = "Over the rate limit", body = ErrorBody),
    ),
    security(("basic" = [])))]
pub async fn create(
    State(state): State<ApiState>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    let (_, account) = acting(&state, &headers, Scope::Send).await?;
    let body = body.map_err(|e| ApiError::new(e.status(), "body_unreadable", e.body_text()))?;
    let asked: SendMessage = json_body(&headers, &body)?;
    let key = send::idempotency_key(&headers).map_err(|r| ApiError::bad(r.code, r.message))?;
    let now = state.now_ms();
    let request = SendRequest {
        to: Some(asked.to.clone()),
        from: asked.from.clone(),
        service: asked.messaging_service.clone(),
        body: asked.body.clone().unwrap_or_default(),
        media: asked.media_urls.clone(),
        status_callback: asked.status_callback.clone(),
        validity_s: asked.validity_seconds,
        schedule_type: asked.send_at.as_ref().map(|_| "fixed".to_owned()),
        send_at: asked.send_at.clone(),
        send_as_mms: asked.send_as_mms,
    };
    let checked = send::check(&state, &account, request, now).await?;
    let answer_body =
        serde_json::to_string(&message(account.sid.as_str(), &checked.as_stored(), now))
            .map_err(|e| ApiError::from(crate::twilio::error::TwilioError::internal("json", &e)))?;
    let answer = key.map(|key| IdempotentAnswer {
        key,
        request_hash: request_hash(account.sid.as_str(), &asked),
        status: StatusCode::CREATED.as_u16(),
        response: answer_body.clone(),
    });
    match checked.queue(&state, answer.as_ref()).await? {
        Queued::New(_) => Ok(send::json_answer(StatusCode::CREATED, answer_body, false)),
        Queued::Replay(first) => {
            if Some(&first.request_hash) != answer.as_ref().map(|a| &a.request_hash) {
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "idempotency_key_reused",
                    format!(
                        "Idempotency-Key {:?} was used with other parameters within 24 hours",
                        first.key
                    ),
                ));
            }
            let status = StatusCode::from_u16(first.status).unwrap_or(StatusCode::CREATED);
            Ok(send::json_answer(status, first.response, true))
        }
    }
}

fn request_hash(account: &str, asked: &SendMessage) -> String {
    let mut digest = Sha256::new();
    digest.update(b"v1/messages\0");
    digest.update(account.as_bytes());
    digest.update(serde_json::to_vec(asked).unwrap_or_default());
    hex::encode(digest.finalize())
}

/// List messages, newest first.
#[utoipa::path(get, path = "/v1/messages", operation_id = "listMessages", tag = "messages", params(ListQuery),
    responses(
        (status = 200, description = "A page", body = MessagePage),
        (status = 400, description = "A bad filter or cursor", body = ErrorBody),
        (status = 401, description = "No or wrong credentials", body = ErrorBody),
        (status = 403, description = "No access", body = ErrorBody),
        (status = 429, description = "Over the rate limit", body = ErrorBody),
    ),
    security(("basic" = [])))]
pub async fn list(
    State(state): State<ApiState>,
    headers: HeaderMap,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<MessagePage>, ApiError> {
    let (_, account) = acting(&state, &headers, Scope::Read).await?;
    let Query(q) = query.map_err(|e| ApiError::bad("bad_query", e.body_text()))?;
    let limit = q.limit.unwrap_or(50);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::bad(
            "bad_limit",
            format!("limit must be 1 to 1000, not {limit}"),
        ));
    }
    let before_id = q
        .cursor
        .as_deref()
        .map(|c| {
            c.parse::<i64>().map_err(|_| {
                ApiError::bad("bad_cursor", format!("cursor {c:?} is not one we gave"))
            })
        })
        .transpose()?;
    let mut rows = state
        .store
        .api_messages(
            account.tenant,
            &MessageQuery {
                to: q.to.as_deref().map(send::filter_number),
                from: q.from.as_deref().map(send::filter_number),
                before_id,
                limit: limit + 1,
                ..MessageQuery::default()
            },
        )
        .await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let now = state.now_ms();
    Ok(Json(MessagePage {
        next_cursor: more
            .then(|| rows.last().map(|m| m.id.to_string()))
            .flatten(),
        data: rows
            .iter()
            .map(|m| message(account.sid.as_str(), m, now))
            .collect(),
    }))
}

/// One message.
#[utoipa::path(get, path = "/v1/messages/{sid}", operation_id = "fetchMessage", tag = "messages",
    params(("sid" = String, Path, description = "SM… or MM…")),
    responses(
        (status = 200, description = "The message", body = Message),
        (status = 401, description = "No or wrong credentials", body = ErrorBody),
        (status = 403, description = "No access", body = ErrorBody),
        (status = 404, description = "Not this account's", body = ErrorBody),
        (status = 429, description = "Over the rate limit", body = ErrorBody),
    ),
    security(("basic" = [])))]
pub async fn fetch(
    State(state): State<ApiState>,
    headers: HeaderMap,
    Path(sid): Path<String>,
) -> Result<Json<Message>, ApiError> {
    let (_, account) = acting(&state, &headers, Scope::Read).await?;
    let m = state
        .store
        .api_message(account.tenant, &sid)
        .await?
        .ok_or_else(|| ApiError::not_found(&format!("message {sid}")))?;
    Ok(Json(message(account.sid.as_str(), &m, state.now_ms())))
}

/// Cancel a scheduled message that has not been sent.
#[utoipa::path(post, path = "/v1/messages/{sid}/cancel", operation_id = "cancelMessage", tag = "messages",
    params(("sid" = String, Path, description = "SM… or MM…")),
    responses(
        (status = 200, description = "Canceled", body = Message),
        (status = 401, description = "No or wrong credentials", body = ErrorBody),
        (status = 403, description = "No access", body = ErrorBody),
        (status = 404, description = "Not this account's", body = ErrorBody),
        (status = 409, description = "Not scheduled, or already sent", body = ErrorBody),
        (status = 429, description = "Over the rate limit", body = ErrorBody),
    ),
    security(("basic" = [])))]
pub async fn cancel(
    State(state): State<ApiState>,
    headers: HeaderMap,
    Path(sid): Path<String>,
) -> Result<Json<Message>, ApiError> {
    let (_, account) = acting(&state, &headers, Scope::Send).await?;
    let not_found = || ApiError::not_found(&format!("message {sid}"));
    let m = state
        .store
        .api_message(account.tenant, &sid)
        .await?
        .ok_or_else(not_found)?;
    let now = state.now_ms();
    if !state.store.cancel_api_message(m.id, now).await? {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "not_cancelable",
            "only a scheduled message that has not been sent can be canceled",
        ));
    }
    let m = state
        .store
        .api_message(account.tenant, &sid)
        .await?
        .ok_or_else(not_found)?;
    Ok(Json(message(account.sid.as_str(), &m, now)))
}
