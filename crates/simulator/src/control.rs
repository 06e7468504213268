//! The simulator's control surface, for operators and tests outside the process: its statistics, a handset's
//! message on request on any interface, and where RBM and MM7 should post their events.
//!
//! - `GET /sim/stats`: [`crate::StatsSnapshot`] as JSON.
//! - `POST /sim/mo` `{"via": "smpp"|"mm7"|"rbm"|"upstream", "from", "to", "text", "callback_url"?}`: 202 when
//!   sent, 409 with the reason when the interface is off or nobody is there to take it.
//! - `POST /sim/rbm-webhook` `{"url", "client_token"}`: where RBM events go, and the token that signs them.
//! - `POST /sim/mm7-reports` `{"url", "user"?, "password"?}`: where MM7 delivery reports and DeliverReq go.

use std::{io, net::SocketAddr, sync::Arc};

use axum::{
    Json, Router,
    extract::State,
    http::StatusCode,
    routing::{get, post},
};
use serde::Deserialize;

use crate::{Stats, StatsSnapshot, mmsc::Mmsc, rbm::Rbm, smsc::Smsc, upstream::Upstream};

/// The interfaces the control surface drives.
#[derive(Clone)]
pub(crate) struct Interfaces {
    pub stats: Arc<Stats>,
    pub smsc: Option<Arc<Smsc>>,
    pub mmsc: Option<Arc<Mmsc>>,
    pub rbm: Option<Arc<Rbm>>,
    pub upstream: Option<Arc<Upstream>>,
}

#[derive(Deserialize)]
struct MoRequest {
    via: String,
    from: String,
    to: String,
    text: String,
    callback_url: Option<String>,
}

#[derive(Deserialize)]
struct RbmWebhook {
    url: String,
    client_token: String,
}

#[derive(Deserialize)]
struct Mm7Reports {
    url: String,
    user: Option<String>,
    password: Option<String>,
}

type Answer = (StatusCode, String);

fn refused(reason: impl Into<String>) -> Answer {
    (StatusCode::CONFLICT, reason.into())
}

fn off(name: &str) -> Answer {
    refused(format!("the simulator's {name} interface is off"))
}

/// Serves the control surface on `addr`; returns where it listens.
pub(crate) async fn serve(
    addr: SocketAddr,
    interfaces: Interfaces,
) -> io::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let app = Router::new()
        .route("/sim/stats", get(stats))
        .route("/sim/mo", post(mobile_originated))
        .route("/sim/rbm-webhook", post(rbm_webhook))
        .route("/sim/mm7-reports", post(mm7_reports))
        .with_state(interfaces);
    let server = tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, app).await {
            tracing::error!(%error, "simulator control surface stopped");
        }
    });
    Ok((local, server))
}

async fn stats(State(interfaces): State<Interfaces>) -> Json<StatsSnapshot> {
    Json(interfaces.stats.snapshot())
}

async fn mobile_originated(
    State(interfaces): State<Interfaces>,
    Json(mo): Json<MoRequest>,
) -> Answer {
    let sent = match mo.via.as_str() {
        "smpp" => match &interfaces.smsc {
            Some(smsc) => smsc
                .send_mo(&mo.from, &mo.to, &mo.text)
                .map_err(|e| e.to_string()),
            None => return off("SMSC"),
        },
        "mm7" => match &interfaces.mmsc {
            Some(mmsc) => mmsc
                .send_deliver(&mo.from, &mo.to, &mo.text, &[])
                .await
                .map_err(|e| e.to_string()),
            None => return off("MMSC"),
        },
        "rbm" => match &interfaces.rbm {
            Some(rbm) => rbm
                .send_user_message(&mo.from, &mo.text)
                .await
                .map_err(|e| e.to_string()),
            None => return off("RBM"),
        },
        "upstream" => match (&interfaces.upstream, &mo.callback_url) {
            (Some(upstream), Some(url)) => upstream
                .send_inbound(&mo.from, &mo.to, &mo.text, url)
                .await
                .map_err(|e| e.to_string()),
            (Some(_), None) => {
                return refused("an upstream inbound message needs \"callback_url\"");
            }
            (None, _) => return off("upstream"),
        },
        other => {
            return refused(format!(
                "\"via\" must be smpp, mm7, rbm or upstream, not {other:?}"
            ));
        }
    };
    match sent {
        Ok(()) => (StatusCode::ACCEPTED, "sent".into()),
        Err(reason) => refused(reason),
    }
}

async fn rbm_webhook(State(interfaces): State<Interfaces>, Json(hook): Json<RbmWebhook>) -> Answer {
    match &interfaces.rbm {
        Some(rbm) => {
            rbm.set_webhook(hook.url, hook.client_token);
            (StatusCode::NO_CONTENT, String::new())
        }
        None => off("RBM"),
    }
}

async fn mm7_reports(
    State(interfaces): State<Interfaces>,
    Json(reports): Json<Mm7Reports>,
) -> Answer {
    match &interfaces.mmsc {
        Some(mmsc) => {
            mmsc.set_report_target(reports.url, reports.user.zip(reports.password));
            (StatusCode::NO_CONTENT, String::new())
        }
        None => off("MMSC"),
    }
}
