//! Twilio's Account resource: an agency fetches itself and lists and creates its sub-accounts (its clients),
//! as `client.api.accounts` does. A sub-account's auth token is shown once, in the answer that made it; a
//! sub-account cannot make sub-accounts of its own.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use canvass_accounts::{Account, Scope};
use serde_json::{Value, json};

use super::error::TwilioError;
use super::form::{Params, body_within_limit};
use super::resource::{API_VERSION, rfc2822};
use crate::ApiState;

fn account_json(a: &Account, auth_token: Option<&str>) -> Value {
    let uri = format!("/{API_VERSION}/Accounts/{}.json", a.sid);
    json!({
        "auth_token": auth_token,
        "date_created": rfc2822(a.created_at),
        "date_updated": rfc2822(a.created_at),
        "friendly_name": a.name,
        "owner_account_sid": a.parent.as_ref().map_or(a.sid.as_str(), |p| p.as_str()),
        "sid": a.sid.as_str(),
        "status": a.status,
        "subresource_uris": {
            "messages": format!("/{API_VERSION}/Accounts/{}/Messages.json", a.sid),
        },
        "type": "Full",
        "uri": uri,
    })
}

/// `GET Accounts/{Sid}.json`: the caller's account or one of its sub-accounts.
pub async fn fetch(
    State(state): State<ApiState>,
    Path(file): Path<String>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Result<Json<Value>, TwilioError> {
    let caller = state.auth.caller(&headers).await?;
    let sid = file
        .strip_suffix(".json")
        .ok_or_else(|| TwilioError::not_found(uri.path()))?;
    let account = state.auth.target(&caller, sid, Scope::Read).await?;
    Ok(Json(account_json(&account, None)))
}

/// `GET Accounts.json`: the caller's account and its sub-accounts, oldest first.
pub async fn list(
    State(state): State<ApiState>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Result<Json<Value>, TwilioError> {
    let caller = state.auth.caller(&headers).await?;
    if !caller.allows(Scope::Read) {
        return Err(TwilioError::forbidden("The API key lacks the read scope"));
    }
    let mut accounts = vec![account_json(&caller.account, None)];
    for sub in state.store.accounts(Some(&caller.account.sid)).await? {
        accounts.push(account_json(&sub, None));
    }
    let path = uri.path();
    let count = accounts.len();
    Ok(Json(json!({
        "accounts": accounts,
        "end": count.saturating_sub(1),
        "first_page_uri": format!("{path}?PageSize={count}&Page=0"),
        "next_page_uri": Value::Null,
        "page": 0,
        "page_size": count,
        "previous_page_uri": Value::Null,
        "start": 0,
        "uri": format!("{path}?PageSize={count}&Page=0"),
    })))
}

/// `POST Accounts.json` with `FriendlyName`: a sub-account of the caller (auth token or an admin key).
pub async fn create(
    State(state): State<ApiState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, TwilioError> {
    let caller = state.auth.caller(&headers).await?;
    if !caller.allows(Scope::Admin) {
        return Err(TwilioError::forbidden(
            "Making sub-accounts needs the account's auth token or an admin key",
        ));
    }
    if caller.account.parent.is_some() {
        return Err(TwilioError::forbidden(
            "A sub-account cannot make sub-accounts of its own",
        ));
    }
    let body = body_within_limit(body)?;
    let params = Params::from_body(&headers, &body)?;
    params.only(&["FriendlyName"])?;
    let name = params
        .one("FriendlyName")?
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .unwrap_or_else(|| format!("SubAccount created at {}", rfc2822(state.now_ms())));
    if name.chars().count() > 64 {
        return Err(TwilioError::bad(
            20001,
            "FriendlyName may be at most 64 characters",
        ));
    }
    let Some(key) = &state.token_key else {
        return Err(TwilioError::internal(
            "accounts",
            &"no token key: this node cannot make accounts",
        ));
    };
    let issued = state
        .store
        .create_account(&name, Some(&caller.account.sid), key, state.now_ms())
        .await?;
    let account = state
        .store
        .account(&issued.sid)
        .await?
        .ok_or_else(|| TwilioError::internal("accounts", &"a new account vanished"))?;
    tracing::info!(account = %account.sid, parent = %caller.account.sid, "sub-account created through the API");
    Ok((
        StatusCode::CREATED,
        Json(account_json(&account, Some(issued.secret.expose()))),
    )
        .into_response())
}
