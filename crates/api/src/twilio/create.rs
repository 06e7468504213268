//! `POST Messages.json`: checks a send request as Twilio does, with Twilio's codes, and queues it durably (with
//! its `Idempotency-Key` answer in the same transaction) before answering 201.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use canvass_accounts::{Account, Scope};
use canvass_store::{IdempotentAnswer, Queued};
use sha2::{Digest, Sha256};

use super::error::TwilioError;
use super::form::Params;
use super::resource::message_json;
use crate::ApiState;
use crate::send::{self, SendError, SendRequest};

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

/// The handler.
pub async fn create(
    State(state): State<ApiState>,
    Path(account): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, TwilioError> {
    let caller = state.auth.caller(&headers).await?;
    let account = state.auth.target(&caller, &account, Scope::Send).await?;
    let body = super::form::body_within_limit(body)?;
    let params = Params::from_body(&headers, &body)?;
    if let Some(key) = ["ContentSid", "ContentVariables", "FallbackFrom"]
        .into_iter()
        .find(|k| params.all(k).next().is_some())
    {
        return Err(TwilioError::bad(
            20001,
            format!("Parameter {key:?} is not supported by Canvass: send Body and MediaUrl"),
        ));
    }
    let known: Vec<&str> = SUPPORTED
        .iter()
        .chain(&ACCEPTED_AND_IGNORED)
        .copied()
        .collect();
    params.only(&known)?;
    let request = send_request(&params)?;
    let idempotency =
        send::idempotency_key(&headers).map_err(|r| TwilioError::bad(r.twilio, r.message))?;
    let now = state.now_ms();
    let checked = send::check(&state, &account, request, now)
        .await
        .map_err(refusal)?;
    let answer_body = message_json(&account.sid, &checked.as_stored(), now).to_string();
    let answer = idempotency.map(|key| IdempotentAnswer {
        key,
        request_hash: request_hash(&account, &params),
        status: StatusCode::CREATED.as_u16(),
        response: answer_body.clone(),
    });
    match checked.queue(&state, answer.as_ref()).await? {
        Queued::New(_) => Ok(send::json_answer(StatusCode::CREATED, answer_body, false)),
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
            Ok(send::json_answer(status, first.response, true))
        }
    }
}

/// A refusal in Twilio's words.
pub fn refusal(error: SendError) -> TwilioError {
    match error {
        SendError::Refused(r) => TwilioError::bad(r.twilio, r.message),
        SendError::Store(e) => e.into(),
    }
}

/// The form's parameters as a send request; the form's own faults (a repeated key, a bad number) are refused here.
fn send_request(params: &Params) -> Result<SendRequest, TwilioError> {
    let owned = |key: &str| -> Result<Option<String>, TwilioError> {
        Ok(params.one(key)?.map(str::to_owned))
    };
    let validity_s = match params.one("ValidityPeriod")? {
        None => None,
        Some(v) => Some(v.parse::<i64>().map_err(|_| {
            TwilioError::bad(
                21624,
                format!("ValidityPeriod must be a number of seconds from 1 to 36000, not {v:?}"),
            )
        })?),
    };
    // Accepted for the SDKs' sake; links in API messages are sent as written (docs/api.md).
    params.flag("ShortenUrls")?;
    Ok(SendRequest {
        to: owned("To")?,
        from: owned("From")?,
        service: owned("MessagingServiceSid")?,
        body: owned("Body")?.unwrap_or_default(),
        media: params.all("MediaUrl").map(str::to_owned).collect(),
        status_callback: owned("StatusCallback")?,
        validity_s,
        schedule_type: owned("ScheduleType")?,
        send_at: owned("SendAt")?,
        send_as_mms: params.flag("SendAsMms")?.unwrap_or(false),
    })
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
