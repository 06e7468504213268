//! One way to send, for both surfaces: the checks a send request passes (Twilio's rules, with Twilio's code and
//! our stable native code for each refusal), and queuing it with its idempotency answer. The Twilio form and the
//! native JSON each only translate their parameters into a [`SendRequest`] and the outcome into their own body.

use canvass_accounts::{Account, ServiceSid, message_sid};
use canvass_campaigns::sender::{SenderPool, nanp_area_code};
use canvass_store::{ApiMessage, IdempotentAnswer, NewApiMessage, Queued, StoreError};

use crate::ApiState;

/// The most media one message takes, as Twilio.
pub const MAX_MEDIA: usize = 10;
/// The longest body, in characters, as Twilio.
pub const MAX_BODY_CHARS: usize = 1600;
/// Scheduled sends must lie this far ahead at least and at most, as Twilio (seconds).
const SCHEDULE_MIN_S: i64 = 300;
const SCHEDULE_MAX_S: i64 = 35 * 24 * 3600;
/// Longest URL taken for a callback or a media file.
const MAX_URL: usize = 4000;
/// Validity periods accepted, seconds.
const VALIDITY_S: std::ops::RangeInclusive<i64> = 1..=36_000;

/// What a caller asked to send, as given.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SendRequest {
    /// Recipient.
    pub to: Option<String>,
    /// Sender number.
    pub from: Option<String>,
    /// Messaging Service sid.
    pub service: Option<String>,
    /// Text.
    pub body: String,
    /// Media URLs.
    pub media: Vec<String>,
    /// Status callback URL.
    pub status_callback: Option<String>,
    /// Validity, seconds.
    pub validity_s: Option<i64>,
    /// `fixed`, or `None` to send now.
    pub schedule_type: Option<String>,
    /// ISO 8601 send time.
    pub send_at: Option<String>,
    /// Send as MMS without media.
    pub send_as_mms: bool,
}

/// Why a send request was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Twilio's code.
    pub twilio: u32,
    /// Our stable code.
    pub code: &'static str,
    /// What is wrong, naming the parameter.
    pub message: String,
}

fn refuse(twilio: u32, code: &'static str, message: impl Into<String>) -> Refusal {
    Refusal {
        twilio,
        code,
        message: message.into(),
    }
}

/// A refusal or a store failure.
#[derive(Debug)]
pub enum SendError {
    /// The request breaks a rule.
    Refused(Refusal),
    /// The store failed.
    Store(StoreError),
}

impl From<StoreError> for SendError {
    fn from(e: StoreError) -> Self {
        SendError::Store(e)
    }
}

impl From<Refusal> for SendError {
    fn from(r: Refusal) -> Self {
        SendError::Refused(r)
    }
}

/// A request that passed, ready to queue.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked(NewApiMessage);

impl Checked {
    /// The message as it will read back once queued (status `queued`), for the answer written with it.
    pub fn as_stored(&self) -> ApiMessage {
        let m = &self.0;
        ApiMessage {
            id: 0,
            tenant: m.tenant,
            sid: m.sid.clone(),
            direction: "outbound-api".into(),
            from: m.from.clone(),
            to: m.to.clone(),
            body: m.body.clone(),
            media: m.media.clone(),
            messaging_service: m.messaging_service.clone(),
            status_callback: m.status_callback.clone(),
            validity_s: m.validity_s,
            send_at: m.send_at,
            send_as_mms: m.send_as_mms,
            status: "queued".into(),
            error_code: None,
            error_detail: None,
            segments: Some(i64::from(m.segments)),
            created_ms: m.now_ms,
            updated_ms: m.now_ms,
            sent_ms: None,
            done_ms: None,
            notified_status: None,
            callback_attempts: 0,
        }
    }

    /// Queues it, with `answer` kept under its idempotency key when given.
    pub async fn queue(
        &self,
        state: &ApiState,
        answer: Option<&IdempotentAnswer>,
    ) -> Result<Queued, StoreError> {
        let queued = state.ingest.queue(self.0.clone(), answer.cloned()).await?;
        if let Queued::New(id) = queued {
            tracing::info!(message = id, sid = %self.0.sid, "API message queued");
        }
        Ok(queued)
    }
}

/// The `Idempotency-Key` header, if sent: 1 to 255 printable ASCII characters.
pub fn idempotency_key(headers: &axum::http::HeaderMap) -> Result<Option<String>, Refusal> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    match value.to_str() {
        Ok(key) if !key.is_empty() && key.len() <= 255 => Ok(Some(key.to_owned())),
        _ => Err(refuse(
            20001,
            "bad_idempotency_key",
            "Idempotency-Key must be 1 to 255 printable ASCII characters",
        )),
    }
}

/// A JSON answer kept as text (a first answer, or its replay, marked `Idempotent-Replayed: true`).
pub fn json_answer(
    status: axum::http::StatusCode,
    body: String,
    replayed: bool,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut response = (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response();
    if replayed {
        response.headers_mut().insert(
            "idempotent-replayed",
            axum::http::HeaderValue::from_static("true"),
        );
    }
    response
}

fn phone(raw: &str) -> Option<String> {
    canvass_audience::phone::parse_phone(raw)
        .ok()
        .map(|p| p.msisdn.as_str().to_owned())
}

/// A list filter's number as stored (E.164) when it parses, else as given (matching nothing).
pub fn filter_number(raw: &str) -> String {
    phone(raw).unwrap_or_else(|| raw.to_owned())
}

/// An absolute http(s) URL of sane length without whitespace (the fetcher checks where it points).
pub fn http_url(raw: &str) -> bool {
    let lower = raw.to_ascii_lowercase();
    raw.len() <= MAX_URL
        && (lower.starts_with("http://") || lower.starts_with("https://"))
        && raw.len() > "https://".len()
        && !raw.chars().any(char::is_whitespace)
}

/// Checks `request` for `account` at `now`, as Twilio does, and picks the sender.
pub async fn check(
    state: &ApiState,
    account: &Account,
    request: SendRequest,
    now: i64,
) -> Result<Checked, SendError> {
    let to_raw = request
        .to
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| refuse(21604, "to_required", "A 'To' phone number is required."))?;
    let to = phone(&to_raw).ok_or_else(|| {
        refuse(
            21211,
            "to_invalid",
            format!("The 'To' number {to_raw} is not a valid phone number."),
        )
    })?;
    let body = request.body;
    if body.chars().count() > MAX_BODY_CHARS {
        return Err(refuse(
            21617,
            "body_too_long",
            "The concatenated message body exceeds the 1600 character limit.",
        )
        .into());
    }
    let media = request.media;
    if media.len() > MAX_MEDIA {
        return Err(refuse(
            21623,
            "too_many_media",
            format!(
                "Number of media files exceeds allowed limit: {} given, at most {MAX_MEDIA}",
                media.len()
            ),
        )
        .into());
    }
    if let Some(bad) = media.iter().find(|u| !http_url(u)) {
        return Err(refuse(
            21620,
            "media_url_invalid",
            format!("Invalid media URL: {bad:?} (http or https only)"),
        )
        .into());
    }
    if body.trim().is_empty() && media.is_empty() {
        return Err(refuse(21602, "body_required", "Message body is required.").into());
    }
    if let Some(url) = &request.status_callback
        && !http_url(url)
    {
        return Err(refuse(
            21609,
            "status_callback_invalid",
            format!("The StatusCallback URL {url:?} is not a valid URL"),
        )
        .into());
    }
    if let Some(v) = request.validity_s
        && !VALIDITY_S.contains(&v)
    {
        return Err(refuse(
            21624,
            "validity_invalid",
            format!("ValidityPeriod must be a number of seconds from 1 to 36000, not {v}"),
        )
        .into());
    }
    let service = match &request.service {
        None => None,
        Some(raw) => {
            let invalid = || {
                refuse(
                    21701,
                    "service_invalid",
                    format!("The Messaging Service Sid {raw} is invalid."),
                )
            };
            let sid = ServiceSid::parse(raw).map_err(|_| invalid())?;
            Some(
                state
                    .store
                    .service(account.tenant, &sid)
                    .await?
                    .ok_or_else(invalid)?,
            )
        }
    };
    let send_at = schedule(
        request.schedule_type.as_deref(),
        request.send_at.as_deref(),
        service.is_some(),
        now,
    )?;
    // Asked with the sender's owner in one round trip when there is a From.
    let mut recipient_opted_out = None;
    let from = match (&request.from, &service) {
        (Some(raw), _) => {
            let from = phone(raw).ok_or_else(|| {
                refuse(
                    21212,
                    "from_invalid",
                    format!(
                        "The 'From' number {raw} is not a valid phone number, shortcode, or alphanumeric sender ID."
                    ),
                )
            })?;
            let (owner, opted_out) = state.store.send_facts(account.tenant, &from, &to).await?;
            recipient_opted_out = Some(opted_out);
            if owner != Some(account.tenant) {
                return Err(refuse(
                    21606,
                    "from_not_owned",
                    format!(
                        "The From phone number {from} is not a valid, SMS-capable inbound phone number or short code for your account."
                    ),
                )
                .into());
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
                refuse(
                    21704,
                    "service_empty",
                    format!(
                        "The Messaging Service {} contains no phone numbers",
                        service.sid
                    ),
                )
            })?
        }
        (None, None) => {
            return Err(refuse(
                21603,
                "from_required",
                "A 'From' phone number or a 'MessagingServiceSid' is required.",
            )
            .into());
        }
    };
    let opted_out = match recipient_opted_out {
        Some(known) => known,
        None => state.store.is_opted_out(account.tenant, &to).await?,
    };
    if opted_out {
        return Err(refuse(
            21610,
            "opted_out",
            "Attempt to send to unsubscribed recipient",
        )
        .into());
    }
    let status_callback = request
        .status_callback
        .or_else(|| service.as_ref().and_then(|s| s.status_callback.clone()));
    let mms = !media.is_empty() || request.send_as_mms;
    let sid = message_sid(mms).map_err(StoreError::from)?;
    Ok(Checked(NewApiMessage {
        tenant: account.tenant,
        sid,
        from,
        to,
        segments: canvass_campaigns::sms_cost::sms_cost(&body).segments as u32,
        body,
        media,
        messaging_service: service.map(|s| s.sid.to_string()),
        status_callback,
        validity_s: request.validity_s,
        send_at,
        send_as_mms: request.send_as_mms,
        now_ms: now,
    }))
}

/// `ScheduleType=fixed` with `SendAt`: the instant, checked against Twilio's window.
fn schedule(
    kind: Option<&str>,
    send_at: Option<&str>,
    has_service: bool,
    now: i64,
) -> Result<Option<i64>, Refusal> {
    let Some(kind) = kind else {
        if send_at.is_some() {
            return Err(refuse(
                35111,
                "schedule_type_required",
                "SendAt needs ScheduleType=fixed",
            ));
        }
        return Ok(None);
    };
    if kind != "fixed" {
        return Err(refuse(
            35126,
            "schedule_type_invalid",
            format!("The ScheduleType value {kind:?} is not supported: use fixed"),
        ));
    }
    if !has_service {
        return Err(refuse(
            35118,
            "service_required_to_schedule",
            "MessagingServiceSid is required to schedule a message",
        ));
    }
    let raw = send_at.ok_or_else(|| {
        refuse(
            35111,
            "send_at_required",
            "SendAt is required when ScheduleType is fixed",
        )
    })?;
    let at: jiff::Timestamp = raw.parse().map_err(|_| {
        refuse(
            35114,
            "send_at_invalid",
            format!("SendAt {raw:?} is not an ISO 8601 time such as 2026-07-31T16:00:00Z"),
        )
    })?;
    let ahead = (at.as_millisecond() - now) / 1000;
    if !(SCHEDULE_MIN_S..=SCHEDULE_MAX_S).contains(&ahead) {
        return Err(refuse(
            35114,
            "send_at_invalid",
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
        assert_eq!(
            pick_sender(&pool, to, true, true).as_deref(),
            Some("+12025550100"),
            "the local one"
        );
        let sticky = pick_sender(&pool, to, true, false);
        for _ in 0..20 {
            assert_eq!(
                pick_sender(&pool, to, true, false),
                sticky,
                "always the same"
            );
            assert_eq!(
                pick_sender(&pool, to, false, true).as_deref(),
                Some("+12025550100"),
                "only local ones are drawn"
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

    #[test]
    fn scheduling_follows_twilios_window() {
        let now = 1_800_000_000_000;
        let at = |s: i64| {
            jiff::Timestamp::from_millisecond(now + s * 1000)
                .expect("ts")
                .to_string()
        };
        assert_eq!(schedule(None, None, false, now), Ok(None));
        assert_eq!(
            schedule(Some("fixed"), Some(&at(3600)), true, now),
            Ok(Some(now + 3_600_000))
        );
        let code = |r: Result<Option<i64>, Refusal>| r.map_err(|e| e.twilio);
        assert_eq!(
            code(schedule(Some("fixed"), Some(&at(60)), true, now)),
            Err(35114)
        );
        assert_eq!(
            code(schedule(Some("fixed"), Some(&at(36 * 86_400)), true, now)),
            Err(35114)
        );
        assert_eq!(
            code(schedule(Some("fixed"), Some(&at(3600)), false, now)),
            Err(35118)
        );
        assert_eq!(code(schedule(Some("fixed"), None, true, now)), Err(35111));
        assert_eq!(code(schedule(Some("later"), None, true, now)), Err(35126));
        assert_eq!(code(schedule(None, Some(&at(3600)), true, now)), Err(35111));
        assert_eq!(
            code(schedule(Some("fixed"), Some("tomorrow"), true, now)),
            Err(35114)
        );
    }
}
