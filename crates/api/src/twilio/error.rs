//! Twilio's error body: `{"code", "message", "more_info", "status"}`, with `code` and `status` as numbers. The
//! official SDKs read `code` and `message` from it (and would take a body with `type` and `title` for the newer
//! RFC 9457 shape, so those keys are never added).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// A refusal on the Twilio-compatible surface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TwilioError {
    /// HTTP status.
    pub status: StatusCode,
    /// Twilio's error code (21211, 20003, …).
    pub code: u32,
    /// What is wrong, naming the parameter.
    pub message: String,
    /// Seconds to wait before retrying, sent as `Retry-After`.
    pub retry_after: Option<u64>,
}

impl TwilioError {
    /// `status` with `code`.
    pub fn with_status(status: StatusCode, code: u32, message: impl Into<String>) -> Self {
        TwilioError {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// A 400 with `code`.
    pub fn bad(code: u32, message: impl Into<String>) -> Self {
        Self::with_status(StatusCode::BAD_REQUEST, code, message)
    }

    /// 401, code 20003.
    pub fn unauthenticated(detail: &str) -> Self {
        TwilioError {
            status: StatusCode::UNAUTHORIZED,
            code: 20003,
            message: format!("Authenticate: {detail}"),
            retry_after: None,
        }
    }

    /// 403, code 20003: the credentials are good but may not do this.
    pub fn forbidden(message: impl Into<String>) -> Self {
        TwilioError {
            status: StatusCode::FORBIDDEN,
            code: 20003,
            message: message.into(),
            retry_after: None,
        }
    }

    /// 404, code 20404, naming the path as Twilio does. Another account's resource is not found either.
    pub fn not_found(path: &str) -> Self {
        TwilioError {
            status: StatusCode::NOT_FOUND,
            code: 20404,
            message: format!("The requested resource {path} was not found"),
            retry_after: None,
        }
    }

    /// 429, code 20429, to retry after `seconds`.
    pub fn too_many(seconds: u64) -> Self {
        TwilioError {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: 20429,
            message: format!("Too Many Requests: retry after {seconds} s"),
            retry_after: Some(seconds),
        }
    }

    /// A 500 that says nothing of the internals (they go to the log).
    pub fn internal(what: &str, error: &dyn std::fmt::Display) -> Self {
        tracing::error!(%error, what, "API request failed");
        TwilioError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: 20500,
            message: "Internal Server Error".into(),
            retry_after: None,
        }
    }

    /// 503 while the database does not answer, so that clients retry.
    pub fn unavailable(error: &dyn std::fmt::Display) -> Self {
        tracing::warn!(%error, "API request failed: store unavailable");
        TwilioError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: 20503,
            message: "Service Unavailable".into(),
            retry_after: None,
        }
    }

    /// The body, as Twilio writes it.
    pub fn body(&self) -> serde_json::Value {
        json!({
            "code": self.code,
            "message": self.message,
            "more_info": format!("https://www.twilio.com/docs/errors/{}", self.code),
            "status": self.status.as_u16(),
        })
    }
}

impl From<canvass_store::StoreError> for TwilioError {
    fn from(error: canvass_store::StoreError) -> Self {
        match &error {
            canvass_store::StoreError::Query(_)
            | canvass_store::StoreError::Connect { .. }
            | canvass_store::StoreError::Unavailable(_) => TwilioError::unavailable(&error),
            _ => TwilioError::internal("store", &error),
        }
    }
}

impl IntoResponse for TwilioError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body())).into_response();
        if let Some(seconds) = self.retry_after
            && let Ok(value) = axum::http::HeaderValue::from_str(&seconds.to_string())
        {
            response.headers_mut().insert("retry-after", value);
        }
        response
    }
}
