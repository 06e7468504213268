//! The MMSC's answers, written with canvass-mm7 in the namespace and version the VASP used.

use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use canvass_mm7::{
    Body, Envelope, Namespace, RsErrorRsp, Status, StatusCode as Mm7Code, SubmitRsp,
};

/// Our MMSRelayServerID in answers and reports.
pub(crate) const RELAY_SERVER_ID: &str = "canvass-sim-mmsc";

/// What the VASP's request told us about how to answer it.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub(crate) transaction_id: String,
    pub(crate) namespace: Namespace,
    pub(crate) mm7_version: String,
}

impl Reply {
    /// For requests we could not read: the newest schema, no TransactionID.
    pub(crate) fn unknown() -> Self {
        Self {
            transaction_id: String::new(),
            namespace: Namespace::default(),
            mm7_version: String::new(),
        }
    }

    pub(crate) fn to(request: &Envelope) -> Self {
        Self {
            transaction_id: request.transaction_id.clone(),
            namespace: request.namespace.clone(),
            mm7_version: request.mm7_version.clone(),
        }
    }

    fn respond(&self, http: StatusCode, body: Body) -> Response {
        let mut envelope = Envelope::new(self.transaction_id.clone(), self.namespace.clone(), body);
        envelope.mm7_version = self.mm7_version.clone();
        match canvass_mm7::encode(&envelope) {
            Ok(encoded) => (
                http,
                [(header::CONTENT_TYPE, encoded.content_type)],
                encoded.body,
            )
                .into_response(),
            Err(error) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("cannot write the answer: {error}"),
            )
                .into_response(),
        }
    }

    /// SubmitRsp 1000 with the MessageID.
    pub(crate) fn accepted(&self, message_id: &str) -> Response {
        self.respond(
            StatusCode::OK,
            Body::SubmitRsp(SubmitRsp {
                status: Status::new(Mm7Code::Success),
                message_id: Some(message_id.to_string()),
            }),
        )
    }

    /// SubmitRsp with a failure code, in HTTP 200 as TS 23.140 has it.
    pub(crate) fn refused(&self, code: Mm7Code, details: &str) -> Response {
        let mut status = Status::new(code);
        status.details = Some(details.to_string());
        self.respond(
            StatusCode::OK,
            Body::SubmitRsp(SubmitRsp {
                status,
                message_id: None,
            }),
        )
    }

    /// RSErrorRsp, for requests that are not a readable SubmitReq.
    pub(crate) fn error(&self, http: StatusCode, code: Mm7Code, details: &str) -> Response {
        let mut status = Status::new(code);
        status.details = Some(details.to_string());
        self.respond(
            http,
            Body::RsErrorRsp(RsErrorRsp {
                relay_server_id: Some(RELAY_SERVER_ID.to_string()),
                status,
            }),
        )
    }

    /// The throttle answer: HTTP 503 with `Retry-After`, and an RSErrorRsp 4006 Service unavailable, so
    /// that a VASP that reads either the HTTP status or the MM7 code slows down.
    pub(crate) fn throttled(&self, retry_after_secs: u64) -> Response {
        let mut response = self.error(
            StatusCode::SERVICE_UNAVAILABLE,
            Mm7Code::ServiceUnavailable,
            "throughput exceeded, retry later",
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        response
    }
}
