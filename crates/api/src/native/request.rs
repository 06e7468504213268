//! What every native handler does first: read the caller and the account it acts for (its own, or a sub-account
//! named in `Canvass-Account`), and read a JSON body strictly (unknown fields refused, every fault located).

use axum::http::HeaderMap;
use canvass_accounts::{Account, Scope};
use serde::de::DeserializeOwned;

use super::error::ApiError;
use crate::ApiState;
use crate::auth::Caller;

/// The header naming the sub-account a request acts for.
pub const ACCOUNT_HEADER: &str = "canvass-account";
/// The largest JSON body taken.
pub const MAX_JSON_BYTES: usize = 256 * 1024;

/// The caller, and the account it acts for with `scope`.
pub async fn acting(
    state: &ApiState,
    headers: &HeaderMap,
    scope: Scope,
) -> Result<(Caller, Account), ApiError> {
    let caller = state.auth.caller(headers).await?;
    let sid = match headers.get(ACCOUNT_HEADER) {
        None => caller.account.sid.to_string(),
        Some(value) => value
            .to_str()
            .map_err(|_| ApiError::bad("bad_header", "Canvass-Account is not text"))?
            .trim()
            .to_owned(),
    };
    let account = state.auth.target(&caller, &sid, scope).await?;
    Ok((caller, account))
}

/// A JSON body as `T`; the content type must say JSON.
pub fn json_body<T: DeserializeOwned>(headers: &HeaderMap, body: &[u8]) -> Result<T, ApiError> {
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type
        .to_ascii_lowercase()
        .starts_with("application/json")
    {
        return Err(ApiError::new(
            axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!(
                "send application/json, not {:?}",
                if content_type.is_empty() {
                    "(none)"
                } else {
                    content_type
                }
            ),
        ));
    }
    serde_json::from_slice(body).map_err(|e| ApiError::bad("invalid_json", e.to_string()))
}
