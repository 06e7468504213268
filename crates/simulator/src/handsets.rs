//! Simulated handsets: for every WAP Push the SMSC takes, the addressed phone reads the m-notification-ind,
//! fetches the message over HTTP, decodes it with our `mms` crate, and answers as a phone does: an
//! m-notifyresp-ind (status Retrieved), then the network's m-delivery-ind to the originator. Personalities
//! shape what the phone does: a blackhole phone never fetches, a receipt-loss phone fetches but its delivery
//! report is lost, a landline never gets the push at all.

use std::{sync::Arc, time::Duration};

use bytes::Bytes;
use canvass_mms::{MessageType, Pdu, Value, field::code};
use canvass_types::Personality;
use tokio::sync::broadcast;

use crate::{SimConfig, Stats, smsc::WapPush};

const MMS_TYPE: &str = "application/vnd.wap.mms-message";
const STATUS_RETRIEVED: u8 = 0x81;

/// What one handset did with one push, kept for tests and the statistics endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandsetReport {
    /// The phone.
    pub to: String,
    /// The transaction id of the notification.
    pub transaction_id: String,
    /// Parts in the fetched m-retrieve-conf.
    pub parts: usize,
    /// Whether the delivery report was sent.
    pub reported: bool,
}

/// Starts the handsets: a task that follows the SMSC's pushes until the SMSC stops.
pub fn start(
    pushes: broadcast::Receiver<WapPush>,
    config: Arc<SimConfig>,
    stats: Arc<Stats>,
) -> broadcast::Receiver<Result<HandsetReport, String>> {
    let (reports, receiver) = broadcast::channel(1024);
    tokio::spawn(follow(pushes, config, stats, reports));
    receiver
}

async fn follow(
    mut pushes: broadcast::Receiver<WapPush>,
    config: Arc<SimConfig>,
    stats: Arc<Stats>,
    reports: broadcast::Sender<Result<HandsetReport, String>>,
) {
    let client = match crate::client::http_client(Duration::from_secs(30)) {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "simulated handsets have no HTTP client");
            return;
        }
    };
    loop {
        let push = match pushes.recv().await {
            Ok(push) => push,
            Err(broadcast::error::RecvError::Lagged(missed)) => {
                tracing::warn!(missed, "simulated handsets fell behind the SMSC");
                continue;
            }
            Err(broadcast::error::RecvError::Closed) => return,
        };
        let (client, config, stats, reports) = (
            client.clone(),
            config.clone(),
            stats.clone(),
            reports.clone(),
        );
        tokio::spawn(async move {
            let outcome = handle(&client, &config, &stats, &push).await;
            if let Err(reason) = &outcome {
                tracing::warn!(to = %push.to, %reason, "simulated handset could not take its MMS");
            }
            let _ = reports.send(outcome.map(|r| {
                r.unwrap_or_else(|| HandsetReport {
                    to: push.to.clone(),
                    transaction_id: String::new(),
                    parts: 0,
                    reported: false,
                })
            }));
        });
    }
}

async fn handle(
    client: &reqwest::Client,
    config: &SimConfig,
    stats: &Stats,
    push: &WapPush,
) -> Result<Option<HandsetReport>, String> {
    let personality = Personality::of(&push.to);
    if matches!(personality, Personality::Blackhole | Personality::Landline) {
        return Ok(None);
    }
    let notification =
        canvass_mms::wap_push::decode_push(&push.payload).map_err(|e| format!("push: {e}"))?;
    if notification.message_type() != Some(MessageType::NotificationInd) {
        return Err(format!(
            "push carries {:?}, not an m-notification-ind",
            notification.message_type()
        ));
    }
    let location = notification
        .text(code::CONTENT_LOCATION)
        .ok_or("m-notification-ind without Content-Location")?;
    let transaction_id = notification
        .transaction_id()
        .ok_or("m-notification-ind without a transaction id")?;
    if personality == Personality::Slow {
        tokio::time::sleep(config.slow_latency).await;
    }
    let fetched = client
        .get(location)
        .send()
        .await
        .map_err(|e| format!("fetch {location}: {e}"))?;
    if !fetched.status().is_success() {
        return Err(format!("fetch {location}: HTTP {}", fetched.status()));
    }
    let bytes = fetched
        .bytes()
        .await
        .map_err(|e| format!("fetch {location}: {e}"))?;
    let conf = canvass_mms::decode(&bytes).map_err(|e| format!("m-retrieve-conf: {e}"))?;
    if conf.message_type() != Some(MessageType::RetrieveConf) {
        return Err(format!(
            "{location} served {:?}, not an m-retrieve-conf",
            conf.message_type()
        ));
    }
    stats.accepted("mm1", &push.to, &bytes);
    let notifyresp = Pdu::new(MessageType::NotifyRespInd, Some(transaction_id), (1, 2))
        .with(code::STATUS, Value::Octet(STATUS_RETRIEVED));
    post(client, location, &notifyresp).await?;
    let reported = personality != Personality::ReceiptLoss;
    if reported {
        tokio::time::sleep(config.receipt_delay).await;
        let message_id = conf.text(code::MESSAGE_ID).unwrap_or(transaction_id);
        let date = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let delivery = Pdu::new(MessageType::DeliveryInd, None, (1, 2))
            .with(code::MESSAGE_ID, Value::Text(message_id.to_owned()))
            .with(
                code::TO,
                Value::Encoded(canvass_mms::compose::address(&push.to)),
            )
            .with(code::DATE, Value::Long(date))
            .with(code::STATUS, Value::Octet(STATUS_RETRIEVED));
        post(client, location, &delivery).await?;
        stats.receipt_sent("mm1");
    }
    Ok(Some(HandsetReport {
        to: push.to.clone(),
        transaction_id: transaction_id.to_owned(),
        parts: conf.parts().len(),
        reported,
    }))
}

async fn post(client: &reqwest::Client, url: &str, pdu: &Pdu) -> Result<(), String> {
    let body = Bytes::from(canvass_mms::encode(pdu).map_err(|e| format!("encode: {e}"))?);
    let response = client
        .post(url)
        .header("content-type", MMS_TYPE)
        .body(body)
        .send()
        .await
        .map_err(|e| format!("post to {url}: {e}"))?;
    if response.status().is_success() {
        Ok(())
    } else {
        Err(format!("post to {url}: HTTP {}", response.status()))
    }
}
