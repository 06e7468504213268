//! The content server handsets talk to: GET fetches the m-retrieve-conf (WAP-209 "MMS over HTTP"), POST takes
//! the handset's m-notifyresp-ind or m-acknowledge-ind and the network's m-delivery-ind.

use std::sync::Arc;

use axum::{
    Router,
    body::Bytes,
    extract::{Path, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use canvass_mms::{MessageType, field::code};

use super::{ContentStore, delivery_state, status::status_name};
use crate::{ConnectorError, ConnectorEvent, EventSender, Receipt};

const MMS_TYPE: &str = "application/vnd.wap.mms-message";

#[derive(Clone)]
struct Shared {
    store: Arc<ContentStore>,
    events: EventSender,
}

/// Routes under `/mm1`.
pub fn router(store: Arc<ContentStore>, events: EventSender) -> Router {
    Router::new()
        .route("/mm1/{token}", get(fetch).post(report))
        .route("/mm1", axum::routing::post(report_without_token))
        .with_state(Shared { store, events })
}

async fn fetch(State(shared): State<Shared>, Path(token): Path<String>) -> Response {
    let Some(stored) = shared.store.get(&token) else {
        return (StatusCode::NOT_FOUND, "no such message, or it expired").into_response();
    };
    let _ = shared
        .events
        .send(ConnectorEvent::Handset {
            message_id: stored.token.clone(),
            what: "fetched".into(),
        })
        .await;
    ([(header::CONTENT_TYPE, MMS_TYPE)], stored.retrieve_conf).into_response()
}

async fn report_without_token(State(shared): State<Shared>, body: Bytes) -> Response {
    handle_report(&shared, body).await
}

async fn report(State(shared): State<Shared>, Path(_token): Path<String>, body: Bytes) -> Response {
    // The PDU names its own message; the path is where the handset happened to post it.
    handle_report(&shared, body).await
}

async fn handle_report(shared: &Shared, body: Bytes) -> Response {
    let pdu = match canvass_mms::decode(&body) {
        Ok(pdu) => pdu,
        Err(e) => return (StatusCode::BAD_REQUEST, format!("not an MMS PDU: {e}")).into_response(),
    };
    let status = match pdu.get(code::STATUS) {
        Some(canvass_mms::Value::Octet(s)) => Some(*s),
        _ => None,
    };
    let event = match (pdu.message_type(), pdu.transaction_id(), status) {
        (Some(MessageType::NotifyRespInd), Some(tid), Some(status)) => ConnectorEvent::Handset {
            message_id: tid.to_owned(),
            what: format!("notifyresp:{}", status_name(status)),
        },
        (Some(MessageType::AcknowledgeInd), Some(tid), _) => ConnectorEvent::Handset {
            message_id: tid.to_owned(),
            what: "acknowledged".into(),
        },
        (Some(MessageType::DeliveryInd), _, Some(status)) => {
            // m-delivery-ind carries the Message-ID we gave in m-retrieve-conf, which is the token.
            let Some(token) = pdu.text(code::MESSAGE_ID).map(str::to_owned) else {
                return (StatusCode::BAD_REQUEST, "m-delivery-ind without Message-ID")
                    .into_response();
            };
            if shared.store.get(&token).is_none() {
                return (StatusCode::NOT_FOUND, format!("no message {token}")).into_response();
            }
            let state = delivery_state(status);
            if state.is_final() {
                shared.store.remove(&token);
            }
            let to = pdu
                .to()
                .first()
                .map(|t| t.split('/').next().unwrap_or(t).to_owned());
            let error_code =
                (state != crate::DeliveryState::Delivered).then(|| status_name(status).to_owned());
            ConnectorEvent::Receipt(Receipt {
                carrier_id: token,
                state,
                error_code,
                to,
            })
        }
        (kind, _, _) => {
            return (StatusCode::BAD_REQUEST, format!("expected m-notifyresp-ind, m-acknowledge-ind or m-delivery-ind with its mandatory fields, got {kind:?}"))
                .into_response();
        }
    };
    let _ = shared.events.send(event).await;
    StatusCode::NO_CONTENT.into_response()
}

/// The health check: our own content server answers.
pub async fn check_reachable(url: &str) -> Result<(), ConnectorError> {
    let authority = url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    tokio::net::TcpStream::connect(&authority)
        .await
        .map(drop)
        .map_err(|e| ConnectorError::Unreachable {
            peer: authority,
            reason: e.to_string(),
        })
}
