//! `POST Messages.json`: checks a send request as Twilio does, with Twilio's codes, and queues it durably (with
//! its `Idempotency-Key` answer in the same transaction) before answering 201.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use canvass_accounts::{Account, Scope, ServiceSid, message_sid};
use canvass_campaigns::sender::{SenderPool, nanp_area_code};
use canvass_store::{ApiMessage, IdempotentAnswer, NewApiMessage, Queued};
use sha2::{Digest, Sha256};

use super::error::TwilioError;
use super::form::Params;
use super::resource::message_json;
use crate::ApiState;

/// Parameters Canvass acts on.
const SUPPORTED: [&str; 11] = [
    "To",
    "From",
    "MessagingServiceSid",
    "Body",
    "MediaUrl",
    "StatusCallback",
    "ValidityPeriod",
    "ScheduleType",
    "SendAt",
    "ShortenUrls",
    "SendAsMms",
];
/// Twilio parameters the SDKs may send that change nothing here (billing, feedback and retention hints).
const ACCEPTED_AND_IGNORED: [&str; 11] = [
    "ApplicationSid",
    "MaxPrice",
    "ProvideFeedback",
    "Attempt",
    "ForceDelivery",
    "ContentRetention",
    "AddressRetention",
    "SmartEncoded",
    "PersistentAction",
    "TrafficType",
    "RiskCheck",
];
/// The most media one message takes, as Twilio.
pub const MAX_MEDIA: usize = 10;
/// The longest body, in characters, as Twilio.
pub const MAX_BODY_CHARS: usize = 1600;
/// Scheduled sends must lie this far ahead at least and at most, as Twilio (seconds).
const SCHEDULE_MIN_S: i64 = 300;
const SCHEDULE_MAX_S: i64 = 35 * 24 * 3600;
/// Longest URL taken for a callback or a media file.
const MAX_URL: usize = 4000;

/// What a valid request asks for.
struct Request {
    to: String,
    from: String,
    service: Option<ServiceSid>,
    body: String,
    media: Vec<String>,
    status_callback: Option<String>,
    validity_s: Option<i64>,
    send_at: Option<i64>,
    send_as_mms: bool,
}

/// The handler.
pub async fn create(
    State(state): State<ApiState>,
    Path(account): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, TwilioError> {
    let caller = state.auth.caller(&headers).await?;
    let account = state.auth.target(&caller, &account, Scope::Send).await?;
    let params = Params::from_body(&headers, &body)?;
    let known: Vec<&str> = SUPPORTED
        .iter()
        .chain(&ACCEPTED_AND_IGNORED)
        .copied()
        .collect();
    if let Some(key) = ["ContentSid", "ContentVariables", "FallbackFrom"]
        .into_iter()
        .find(|k| params.one(k).ok().flatten().is_some())
    {
        return Err(TwilioError::bad(
            20001,
            format!("Parameter {key:?} is not supported by Canvass: send Body and MediaUrl"),
        ));
    }
    params.only(&known)?;
    let now = state.now_ms();
    let request = check(&state, &account, &params, now).await?;
    let idempotency = idempotency_key(&headers)?;
    let mms = !request.media.is_empty() || request.send_as_mms;
    let sid = message_sid(mms).map_err(|e| TwilioError::internal("sid", &e))?;
    let new = NewApiMessage {
        tenant: account.tenant,
        sid,
        from: request.from,
        to: request.to,
        segments: canvass_campaigns::sms_cost::sms_cost(&request.body).segments as u32,
        body: request.body,
        media: request.media,
        messaging_service: request.service.map(|s| s.to_string()),
        status_callback: request.status_callback,
        validity_s: request.validity_s,
        send_at: request.send_at,
        send_as_mms: request.send_as_mms,
        now_ms: now,
    };
    let answer_body = message_json(&account.sid, &as_stored(&new), now).to_string();
    let answer = idempotency.map(|key| IdempotentAnswer {
        key,
        request_hash: request_hash(&account, &params),
        status: StatusCode::CREATED.as_u16(),
        response: answer_body.clone(),
    });
    match state.store.queue_api_message(&new, answer.as_ref()).await? {
        Queued::New(id) => {
            tracing::info!(message = id, sid = %new.sid, account = %account.sid, "API message queued");
            metrics::counter!(canvass_types::metric_names::HTTP_REQUESTS, "route" => "Messages.json")
                .increment(1);
            Ok(json_response(StatusCode::CREATED, answer_body, false))
        }
        Queued::Replay(first) => {
            let asked = answer.map(|a| a.request_hash).unwrap_or_default();
            if first.request_hash != asked {
                return Err(TwilioError::with_status(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    20422,
                    format!(
                        "Idempotency-Key {:?} was used with other parameters within 24 hours",
                        first.key
                    ),
                ));
            }
            let status = StatusCode::from_u16(first.status).unwrap_or(StatusCode::CREATED);
            Ok(json_response(status, first.response, true))
        }
    }
}

fn json_response(status: StatusCode, body: String, replayed: bool) -> Response {
    let mut response = (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response();
    if replayed {
        response
            .headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    response
}

/// The row as it will read back once queued, for the answer written with it.
fn as_stored(new: &NewApiMessage) -> ApiMessage {
    ApiMessage {
        id: 0,
        tenant: new.tenant,
        sid: new.sid.clone(),
        direction: "outbound-api".into(),
        from: new.from.clone(),
        to: new.to.clone(),
        body: new.body.clone(),
        media: new.media.clone(),
        messaging_service: new.messaging_service.clone(),
        status_callback: new.status_callback.clone(),
        validity_s: new.validity_s,
        send_at: new.send_at,
        send_as_mms: new.send_as_mms,
        status: "queued".into(),
        error_code: None,
        error_detail: None,
        segments: Some(i64::from(new.segments)),
        created_ms: new.now_ms,
        updated_ms: new.now_ms,
        sent_ms: None,
        notified_status: None,
        callback_attempts: 0,
    }
}

/// The `Idempotency-Key` header, if sent: printable ASCII, at most 255 characters.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, TwilioError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    match value.to_str() {
        Ok(key) if !key.is_empty() && key.len() <= 255 => Ok(Some(key.to_owned())),
        _ => Err(TwilioError::bad(
            20001,
            "Idempotency-Key must be 1 to 255 printable ASCII characters",
        )),
    }
}

/// A digest of what was asked, in a canonical order, so a replay with other parameters is told apart.
fn request_hash(account: &Account, params: &Params) -> String {
    let mut pairs = params.0.clone();
    pairs.sort();
    let mut digest = Sha256::new();
    digest.update(account.sid.as_str().as_bytes());
    for (k, v) in pairs {
        digest.update([0]);
        digest.update(k.as_bytes());
        digest.update([0]);
        digest.update(v.as_bytes());
    }
    hex::encode(digest.finalize())
}

fn phone(raw: &str) -> Option<String> {
    canvass_audience::phone::parse_phone(raw)
        .ok()
        .map(|p| p.msisdn.as_str().to_owned())
}

fn http_url(raw: &str) -> bool {
    let lower = raw.to_ascii_lowercase();
    raw.len() <= MAX_URL
        && (lower.starts_with("http://") || lower.starts_with("https://"))
        && raw.len() > "https://".len()
        && !raw.chars().any(char::is_whitespace)
}

async fn check(
    state: &ApiState,
    account: &Account,
    params: &Params,
    now: i64,
) -> Result<Request, TwilioError> {
    let to_raw = params
        .one("To")?
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| TwilioError::bad(21604, "A 'To' phone number is required."))?;
    let to = phone(to_raw).ok_or_else(|| {
        TwilioError::bad(
            21211,
            format!("The 'To' number {to_raw} is not a valid phone number."),
        )
    })?;
    let body = params.one("Body")?.unwrap_or("").to_owned();
    if body.chars().count() > MAX_BODY_CHARS {
        return Err(TwilioError::bad(
            21617,
            "The concatenated message body exceeds the 1600 character limit.",
        ));
    }
    let media: Vec<String> = params.all("MediaUrl").map(str::to_owned).collect();
    if media.len() > MAX_MEDIA {
        return Err(TwilioError::bad(
            21623,
            format!(
                "Number of media files exceeds allowed limit: {} given, at most {MAX_MEDIA}",
                media.len()
            ),
        ));
    }
    if let Some(bad) = media.iter().find(|u| !http_url(u)) {
        return Err(TwilioError::bad(
            21620,
            format!("Invalid media URL: {bad:?} (http or https only)"),
        ));
    }
    if body.trim().is_empty() && media.is_empty() {
        return Err(TwilioError::bad(21602, "Message body is required."));
    }
    let status_callback = params.one("StatusCallback")?.map(str::to_owned);
    if let Some(url) = &status_callback
        && !http_url(url)
    {
        return Err(TwilioError::bad(
            21609,
            format!("The StatusCallback URL {url:?} is not a valid URL"),
        ));
    }
    let validity_s = match params.one("ValidityPeriod")? {
        None => None,
        Some(v) => match v.parse::<i64>() {
            Ok(n) if (1..=36_000).contains(&n) => Some(n),
            _ => {
                return Err(TwilioError::bad(
                    21624,
                    format!(
                        "ValidityPeriod must be a number of seconds from 1 to 36000, not {v:?}"
                    ),
                ));
            }
        },
    };
    let send_as_mms = params.flag("SendAsMms")?.unwrap_or(false);
    // Accepted for the SDKs' sake; links in API messages are sent as written (docs/api.md).
    params.flag("ShortenUrls")?;

    let service = match params.one("MessagingServiceSid")? {
        None => None,
        Some(raw) => {
            let sid = ServiceSid::parse(raw).map_err(|_| {
                TwilioError::bad(
                    21701,
                    format!("The Messaging Service Sid {raw} is invalid."),
                )
            })?;
            Some(
                state
                    .store
                    .service(account.tenant, &sid)
                    .await?
                    .ok_or_else(|| {
                        TwilioError::bad(
                            21701,
                            format!("The Messaging Service Sid {raw} is invalid."),
                        )
                    })?,
            )
        }
    };
    let send_at = schedule(params, service.is_some(), now)?;
    let from = match (params.one("From")?, &service) {
        (Some(raw), _) => {
            let from = phone(raw).ok_or_else(|| {
                TwilioError::bad(
                    21212,
                    format!("The 'From' number {raw} is not a valid phone number, shortcode, or alphanumeric sender ID."),
                )
            })?;
            if state.store.number_owner(&from).await? != Some(account.tenant) {
                return Err(TwilioError::bad(
                    21606,
                    format!(
                        "The From phone number {from} is not a valid, SMS-capable inbound phone number or short code for your account."
                    ),
                ));
            }
            from
        }
        (None, Some(service)) => {
            let pool: Vec<&str> = service.numbers.iter().map(String::as_str).collect();
            pick_sender(
                &pool,
                &to,
                service.sticky_sender,
                service.area_code_geomatch,
            )
            .ok_or_else(|| {
                TwilioError::bad(
                    21704,
                    format!(
                        "The Messaging Service {} contains no phone numbers",
                        service.sid
                    ),
                )
            })?
        }
        (None, None) => {
            return Err(TwilioError::bad(
                21603,
                "A 'From' phone number or a 'MessagingServiceSid' is required.",
            ));
        }
    };
    if state.store.is_opted_out(account.tenant, &to).await? {
        return Err(TwilioError::bad(
            21610,
            "Attempt to send to unsubscribed recipient",
        ));
    }
    let status_callback =
        status_callback.or_else(|| service.as_ref().and_then(|s| s.status_callback.clone()));
    Ok(Request {
        to,
        from,
        service: service.map(|s| s.sid),
        body,
        media,
        status_callback,
        validity_s,
        send_at,
        send_as_mms,
    })
}

/// `ScheduleType=fixed` with `SendAt`: the instant, checked against Twilio's window.
fn schedule(params: &Params, has_service: bool, now: i64) -> Result<Option<i64>, TwilioError> {
    let Some(kind) = params.one("ScheduleType")? else {
        if params.one("SendAt")?.is_some() {
            return Err(TwilioError::bad(35111, "SendAt needs ScheduleType=fixed"));
        }
        return Ok(None);
    };
    if kind != "fixed" {
        return Err(TwilioError::bad(
            35126,
            format!("The ScheduleType value {kind:?} is not supported: use fixed"),
        ));
    }
    if !has_service {
        return Err(TwilioError::bad(
            35118,
            "MessagingServiceSid is required to schedule a message",
        ));
    }
    let raw = params
        .one("SendAt")?
        .ok_or_else(|| TwilioError::bad(35111, "SendAt is required when ScheduleType is fixed"))?;
    let at: jiff::Timestamp = raw.parse().map_err(|_| {
        TwilioError::bad(
            35114,
            format!("SendAt {raw:?} is not an ISO 8601 time such as 2026-07-31T16:00:00Z"),
        )
    })?;
    let ahead = (at.as_millisecond() - now) / 1000;
    if !(SCHEDULE_MIN_S..=SCHEDULE_MAX_S).contains(&ahead) {
        return Err(TwilioError::bad(
            35114,
            format!(
                "SendAt time must be between 300 seconds and 35 days (3024000 seconds) in the future; {raw} is {ahead} s away"
            ),
        ));
    }
    Ok(Some(at.as_millisecond()))
}

/// A sender from a service's pool: sticky (the same one for a recipient while the pool holds) and local when
/// asked; otherwise any, at random, among the local ones when area-code match is on.
fn pick_sender(pool: &[&str], to: &str, sticky: bool, geomatch: bool) -> Option<String> {
    if pool.is_empty() {
        return None;
    }
    let local: Vec<&str> = match nanp_area_code(to) {
        Some(code) if geomatch => pool
            .iter()
            .copied()
            .filter(|n| nanp_area_code(n) == Some(code))
            .collect(),
        _ => Vec::new(),
    };
    let candidates: &[&str] = if local.is_empty() { pool } else { &local };
    if sticky {
        return SenderPool::new(candidates).choose(to).map(str::to_owned);
    }
    let i = rand::random_range(0..candidates.len());
    Some(candidates[i].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_picks_a_local_sender_when_asked_and_keeps_it() {
        let pool = ["+12125550100", "+12025550100", "+13105550100"];
        let to = "+12025550199";
        let first = pick_sender(&pool, to, true, true).expect("one");
        assert_eq!(first, "+12025550100", "the local one");
        for _ in 0..20 {
            assert_eq!(
                pick_sender(&pool, to, true, false).as_deref(),
                pick_sender(&pool, to, true, false).as_deref()
            );
            assert_eq!(
                pick_sender(&pool, to, false, true).as_deref(),
                Some("+12025550100")
            );
        }
        assert_eq!(pick_sender(&[], to, true, true), None);
    }

    #[test]
    fn urls_must_be_http_and_whole() {
        assert!(http_url("https://media.example/a.jpg"));
        assert!(http_url("HTTP://media.example/a.jpg"));
        for bad in [
            "ftp://x/y",
            "https://",
            "javascript:alert(1)",
            "https://a b/c",
            "/relative.jpg",
        ] {
            assert!(!http_url(bad), "{bad}");
        }
    }
}
