//! One message: fetch, update (`Status=canceled` cancels a scheduled one; `Body=` redacts the text), delete (once
//! finished), and its `Media.json`. Another account's message is not found, whoever asks.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use canvass_accounts::{Account, Scope};
use canvass_store::ApiMessage;
use serde_json::{Value, json};

use super::error::TwilioError;
use super::form::Params;
use super::resource::{API_VERSION, media_sid, message_json, rfc2822};
use crate::ApiState;

async fn load(
    state: &ApiState,
    headers: &HeaderMap,
    account: &str,
    file: &str,
    scope: Scope,
    path: &str,
) -> Result<(Account, ApiMessage), TwilioError> {
    let caller = state.auth.caller(headers).await?;
    let account = state.auth.target(&caller, account, scope).await?;
    let sid = sid_of(file, path)?;
    let sid = sid.as_str();
    // Message sids are 34 characters; anything longer is not one, and is not looked up.
    if sid.len() > 64 {
        return Err(TwilioError::not_found(path));
    }
    let message = state
        .store
        .api_message(account.tenant, sid)
        .await?
        .ok_or_else(|| TwilioError::not_found(path))?;
    Ok((account, message))
}

fn sid_of(file: &str, path: &str) -> Result<String, TwilioError> {
    file.strip_suffix(".json")
        .map(str::to_owned)
        .ok_or_else(|| TwilioError::not_found(path))
}

/// `GET Messages/{Sid}.json`.
pub async fn fetch(
    State(state): State<ApiState>,
    Path((account, file)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Result<Json<Value>, TwilioError> {
    let path = uri.path();
    let (account, message) = load(&state, &headers, &account, &file, Scope::Read, path).await?;
    Ok(Json(message_json(&account.sid, &message, state.now_ms())))
}

/// `POST Messages/{Sid}.json`: `Status=canceled` and/or `Body=` (empty: redaction).
pub async fn update(
    State(state): State<ApiState>,
    Path((account, file)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<Value>, TwilioError> {
    let path = uri.path();
    let (account, message) = load(&state, &headers, &account, &file, Scope::Send, path).await?;
    let body = super::form::body_within_limit(body)?;
    let params = Params::from_body(&headers, &body)?;
    params.only(&["Status", "Body"])?;
    let now = state.now_ms();
    if let Some(status) = params.one("Status")? {
        if status != "canceled" {
            return Err(TwilioError::bad(
                20001,
                format!("Status may only be set to canceled, not {status:?}"),
            ));
        }
        if !state.store.cancel_api_message(message.id, now).await? {
            return Err(TwilioError::bad(
                30409,
                "This message cannot be canceled: only a scheduled message that has not been sent can be",
            ));
        }
    }
    if let Some(text) = params.one("Body")? {
        if !text.is_empty() {
            return Err(TwilioError::bad(
                20001,
                "Body may only be set to the empty string, which redacts the message",
            ));
        }
        state.store.redact_api_message(message.id, now).await?;
    }
    let message = state
        .store
        .api_message(account.tenant, &message.sid)
        .await?
        .ok_or_else(|| TwilioError::not_found(path))?;
    Ok(Json(message_json(&account.sid, &message, now)))
}

/// `DELETE Messages/{Sid}.json`: 204 once the message is finished; Twilio's 20009 while it is in flight.
pub async fn delete(
    State(state): State<ApiState>,
    Path((account, file)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Result<Response, TwilioError> {
    let path = uri.path();
    let (_, message) = load(&state, &headers, &account, &file, Scope::Send, path).await?;
    if state.store.delete_api_message(message.id).await? {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(TwilioError::with_status(
            StatusCode::CONFLICT,
            20009,
            "Cannot delete this resource before it is complete",
        ))
    }
}

/// `GET Messages/{Sid}/Media.json`: one item per media URL of the message.
pub async fn media(
    State(state): State<ApiState>,
    Path((account, sid)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Result<Json<Value>, TwilioError> {
    let path = uri.path().to_owned();
    let file = format!("{sid}.json");
    let (account, message) = load(&state, &headers, &account, &file, Scope::Read, &path).await?;
    let base = format!(
        "/{API_VERSION}/Accounts/{}/Messages/{}/Media",
        account.sid, message.sid
    );
    let items: Vec<Value> = message
        .media
        .iter()
        .enumerate()
        .map(|(i, url)| {
            let sid = media_sid(&message.sid, i);
            json!({
                "account_sid": account.sid.as_str(),
                "content_type": content_type_of(url),
                "date_created": rfc2822(message.created_ms),
                "date_updated": rfc2822(message.updated_ms),
                "parent_sid": message.sid,
                "sid": sid,
                "uri": format!("{base}/{sid}.json"),
            })
        })
        .collect();
    let end = items.len().saturating_sub(1);
    Ok(Json(json!({
        "end": end,
        "first_page_uri": format!("{path}?PageSize=50&Page=0"),
        "media_list": items,
        "next_page_uri": Value::Null,
        "page": 0,
        "page_size": 50,
        "previous_page_uri": Value::Null,
        "start": 0,
        "uri": format!("{path}?PageSize=50&Page=0"),
    })))
}

/// The type a media URL's name suggests; the fetched file's own type is checked when the message is composed.
fn content_type_of(url: &str) -> &'static str {
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .to_ascii_lowercase();
    match path.rsplit('.').next() {
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("mp4") => "video/mp4",
        Some("3gp") => "video/3gpp",
        Some("mp3") => "audio/mpeg",
        Some("vcf") => "text/vcard",
        Some("pdf") => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// `GET Messages/{Sid}/Media/{MediaSid}`: the bytes of an inbound message's media, rehosted when it arrived (the
/// URLs its webhook named). As with Twilio's default, no credentials are asked: the URL itself, two random ids,
/// is the secret.
pub async fn media_content(
    State(state): State<ApiState>,
    Path((account, sid, media)): Path<(String, String, String)>,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, TwilioError> {
    let path = uri.path();
    let not_found = || TwilioError::not_found(path);
    let (Some(blobs), Ok(account)) = (&state.blobs, canvass_accounts::AccountSid::parse(&account))
    else {
        return Err(not_found());
    };
    let account = state.store.account(&account).await?.ok_or_else(not_found)?;
    let items = state
        .store
        .inbound_media(account.tenant, &sid)
        .await?
        .ok_or_else(not_found)?;
    let (content_type, key) = items
        .iter()
        .enumerate()
        .find(|(i, _)| media_sid(&sid, *i) == media)
        .map(|(_, item)| item.clone())
        .ok_or_else(not_found)?;
    let key = canvass_store::BlobKey::parse(&key).ok_or_else(not_found)?;
    let bytes = blobs.get(&key).await?.ok_or_else(not_found)?;
    Ok(([(axum::http::header::CONTENT_TYPE, content_type)], bytes).into_response())
}
