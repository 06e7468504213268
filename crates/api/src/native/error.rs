//! The native surface's errors: `{"error": {"code", "message"}}`, with a stable `code` for programs and a message
//! for people. 5xx bodies never carry internals (those go to the log).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::send::SendError;
use crate::twilio::error::TwilioError;

/// The error body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, e.g. `to_invalid`, `unauthenticated`, `not_found`.
    pub code: String,
    /// For people, naming the field.
    pub message: String,
}

/// A refusal on the native surface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable code.
    pub code: String,
    /// What is wrong.
    pub message: String,
    /// Seconds before a retry, sent as `Retry-After`.
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// `status` with `code`.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code: code.to_owned(),
            message: message.into(),
            retry_after: None,
        }
    }

    /// 400 with `code`.
    pub fn bad(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 404.
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} not found"),
        )
    }
}

impl From<TwilioError> for ApiError {
    /// The shared checks (credentials, access, rate limits, the store) speak Twilio; here they get our codes.
    fn from(e: TwilioError) -> Self {
        let code = match (e.status.as_u16(), e.code) {
            (401, _) => "unauthenticated",
            (403, _) => "forbidden",
            (429, _) => "rate_limited",
            (503, _) => "unavailable",
            (404, _) => "not_found",
            (s, _) if s >= 500 => "internal",
            _ => "bad_request",
        };
        ApiError {
            status: e.status,
            code: code.to_owned(),
            message: e.message,
            retry_after: e.retry_after,
        }
    }
}

impl From<canvass_store::StoreError> for ApiError {
    fn from(e: canvass_store::StoreError) -> Self {
        TwilioError::from(e).into()
    }
}

impl From<SendError> for ApiError {
    fn from(e: SendError) -> Self {
        match e {
            SendError::Refused(r) => ApiError::bad(r.code, r.message),
            SendError::Store(e) => e.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message,
            },
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after
            && let Ok(value) = axum::http::HeaderValue::from_str(&seconds.to_string())
        {
            response.headers_mut().insert("retry-after", value);
        }
        response
    }
}
