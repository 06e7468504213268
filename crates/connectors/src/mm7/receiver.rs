//! Our MM7 endpoint, where the MMSC sends DeliveryReportReq, ReadReplyReq and DeliverReq. Each request is
//! answered with its *Rsp (1000 Success) once its event is queued; a body that is not MM7 gets a SOAP
//! Fault with HTTP 400 and the reason.

use axum::{
    Router,
    body::Bytes,
    extract::{DefaultBodyLimit, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::post,
};
use canvass_mm7::{Body, Envelope, Limits, Status, StatusCode as Mm7Code, StatusRsp, VaspErrorRsp};
use tracing::warn;

use super::basic_auth::ExpectedCredentials;
use super::events;
use crate::{ConnectorEvent, EventSender, Settled};

/// The receiving side of MM7 routes: turns the MMSC's requests into [`ConnectorEvent`]s.
#[derive(Clone)]
pub struct Mm7Receiver {
    events: EventSender,
    limits: Limits,
    vasp_id: Option<String>,
    credentials: Option<ExpectedCredentials>,
}

impl Mm7Receiver {
    /// A receiver that pushes into `events`, taking requests up to `max_bytes`.
    pub fn new(events: EventSender, max_bytes: usize) -> Self {
        Self {
            events,
            limits: Limits {
                max_message_bytes: max_bytes,
                ..Limits::default()
            },
            vasp_id: None,
            credentials: None,
        }
    }

    /// Names us in VASPErrorRsp answers.
    pub fn with_vasp_id(mut self, vasp_id: Option<String>) -> Self {
        self.vasp_id = vasp_id;
        self
    }

    /// Requires HTTP Basic credentials (user, password) on every request; `None` takes any request.
    /// A request without them is answered 401 with `WWW-Authenticate` and emits nothing.
    pub fn with_credentials(mut self, credentials: Option<(String, String)>) -> Self {
        self.credentials =
            credentials.map(|(user, password)| ExpectedCredentials::new(&user, &password));
        self
    }

    /// The router: `POST /mm7` (and `POST /`, for MMSCs configured with a bare host).
    pub fn router(self) -> Router {
        let body_limit = self.limits.max_message_bytes;
        Router::new()
            .route(super::RECEIVER_PATH, post(receive))
            .route("/", post(receive))
            .layer(DefaultBodyLimit::max(body_limit))
            .with_state(self)
    }
}

async fn receive(State(receiver): State<Mm7Receiver>, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(refusal) = receiver
        .credentials
        .as_ref()
        .and_then(|c| c.check(&headers))
    {
        return refusal;
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let request = match canvass_mm7::decode_http_with_limits(content_type, &body, &receiver.limits)
    {
        Ok(request) => request,
        Err(error) => {
            return fault(
                StatusCode::BAD_REQUEST,
                &format!("not an MM7 request: {error}"),
            );
        }
    };
    let (event, answer) = match &request.body {
        Body::DeliveryReportReq(report) => (
            ConnectorEvent::Receipt(events::report_receipt(report)),
            Body::DeliveryReportRsp(success()),
        ),
        Body::ReadReplyReq(reply) => (
            ConnectorEvent::Receipt(events::read_reply_receipt(reply)),
            Body::ReadReplyRsp(success()),
        ),
        Body::DeliverReq(deliver) => (
            ConnectorEvent::Inbound(events::inbound(deliver, request.content.as_ref())),
            Body::DeliverRsp(canvass_mm7::DeliverRsp {
                status: Status::new(Mm7Code::Success),
                service_code: None,
            }),
        ),
        other => {
            let reason = format!("a VASP does not take {}", other.element_name());
            return error_rsp(
                &receiver,
                &request,
                StatusCode::BAD_REQUEST,
                Mm7Code::UnsupportedOperation,
                reason,
            );
        }
    };
    if receiver.events.send_and_wait(event).await == Settled::NotKept {
        // Not stored (the store failed, or the route is shutting down): the MMSC keeps it and tries again later.
        let reason = "the report could not be stored now".to_string();
        return error_rsp(
            &receiver,
            &request,
            StatusCode::SERVICE_UNAVAILABLE,
            Mm7Code::ServiceUnavailable,
            reason,
        );
    }
    respond(StatusCode::OK, &request, answer)
}

fn success() -> StatusRsp {
    StatusRsp {
        status: Status::new(Mm7Code::Success),
    }
}

fn error_rsp(
    receiver: &Mm7Receiver,
    request: &Envelope,
    http: StatusCode,
    code: Mm7Code,
    reason: String,
) -> Response {
    let mut status = Status::new(code);
    status.details = Some(reason);
    let body = Body::VaspErrorRsp(VaspErrorRsp {
        vasp_id: receiver.vasp_id.clone(),
        vas_id: None,
        status,
    });
    respond(http, request, body)
}

/// Answers in the request's namespace and version, with its TransactionID.
fn respond(http: StatusCode, request: &Envelope, body: Body) -> Response {
    let mut answer = Envelope::new(
        request.transaction_id.clone(),
        request.namespace.clone(),
        body,
    );
    answer.mm7_version = request.mm7_version.clone();
    match canvass_mm7::encode(&answer) {
        Ok(encoded) => (
            http,
            [(header::CONTENT_TYPE, encoded.content_type)],
            encoded.body,
        )
            .into_response(),
        Err(error) => {
            warn!(%error, "cannot write the MM7 answer");
            fault(
                StatusCode::INTERNAL_SERVER_ERROR,
                &format!("cannot write the answer: {error}"),
            )
        }
    }
}

/// A SOAP 1.1 Fault (`env:Client` for 4xx, `env:Server` otherwise) with `reason` as its faultstring.
pub(crate) fn fault(http: StatusCode, reason: &str) -> Response {
    let code = if http.is_client_error() {
        "env:Client"
    } else {
        "env:Server"
    };
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<env:Envelope xmlns:env=\"{}\"><env:Body><env:Fault>\
         <faultcode>{code}</faultcode><faultstring>{}</faultstring></env:Fault></env:Body></env:Envelope>",
        canvass_mm7::SOAP_ENV,
        escape(reason)
    );
    (
        http,
        [(header::CONTENT_TYPE, "text/xml; charset=\"utf-8\"")],
        body,
    )
        .into_response()
}

/// XML text escaping; control characters, which XML 1.0 cannot hold, become spaces.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
