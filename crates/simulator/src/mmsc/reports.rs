//! What the MMSC sends the VASP on its own: DeliveryReportReq after a submit, DeliverReq on request (MO).
//! Both go to the URL the VASP registered ([`super::Mmsc::set_report_url`]).

use std::{sync::Arc, time::Duration};

use canvass_mm7::{
    Address, Body, DeliverReq, DeliveryReportReq, Envelope, MmStatus, Part, Recipients,
    StatusCode as Mm7Code,
};
use canvass_types::Personality;
use reqwest::header;
use tracing::{debug, warn};

use super::soap::{RELAY_SERVER_ID, Reply};
use super::{INTERFACE, MmscError, Shared, SimMedia};

/// Tries per request to the VASP: a VASP restarting for a moment should not lose its reports.
const TRIES: u32 = 3;

/// Sends the delivery report for `to` after the configured delay, as its personality has it: none for
/// blackhole and receipt-loss numbers, Rejected for landlines, Retrieved for everyone else.
pub(crate) fn schedule(
    shared: Arc<Shared>,
    reply: Reply,
    message_id: String,
    to: String,
    sender: String,
) {
    let status = match Personality::of(&to) {
        Personality::Blackhole | Personality::ReceiptLoss => return,
        Personality::Landline => MmStatus::Rejected,
        _ => MmStatus::Retrieved,
    };
    tokio::spawn(async move {
        tokio::time::sleep(shared.config.receipt_delay).await;
        let rejected = status == MmStatus::Rejected;
        let report = DeliveryReportReq {
            relay_server_id: Some(RELAY_SERVER_ID.to_string()),
            message_id,
            recipient: Address::number(to),
            sender: Address::number(sender),
            date: now_iso8601(),
            mm_status: status,
            // MMStatusExtension exists from REL-6-MM7-1-4 on; drop_unsupported clears it for older peers.
            mm_status_extension: rejected.then(|| "RejectionByOtherRS".to_string()),
            status_text: rejected
                .then(|| "2002 Address Error: the recipient is a landline".to_string()),
            application: Default::default(),
            ua_capabilities: None,
        };
        let mut envelope = Envelope::new(
            shared.transaction_id("dr"),
            reply.namespace,
            Body::DeliveryReportReq(report),
        );
        envelope.mm7_version = reply.mm7_version;
        envelope.drop_unsupported();
        match post(&shared, &envelope).await {
            Ok(()) => shared.stats.receipt_sent(INTERFACE),
            Err(error) => warn!(%error, "MMSC delivery report not delivered to the VASP"),
        }
    });
}

/// Sends a DeliverReq from handset `from` to the VASP's number `to`, with `text` and `media` as content.
pub(crate) async fn deliver(
    shared: &Shared,
    from: &str,
    to: &str,
    text: &str,
    media: &[SimMedia],
) -> Result<(), MmscError> {
    let mut deliver = DeliverReq::new(Address::number(from));
    deliver.relay_server_id = Some(RELAY_SERVER_ID.to_string());
    deliver.recipients = Some(Recipients {
        to: vec![Address::number(to)],
        ..Recipients::default()
    });
    deliver.time_stamp = Some(now_iso8601());
    deliver.content = Some(canvass_mm7::ContentRef::cid("mo@canvass-sim"));
    let mut parts = vec![
        Part::data("text/plain", text.as_bytes().to_vec())
            .with_charset("utf-8")
            .with_content_id("text1")
            .with_location("text1.txt"),
    ];
    for (index, item) in media.iter().enumerate() {
        let mut part = Part::data(item.content_type.clone(), item.data.clone())
            .with_content_id(format!("media{}", index + 1));
        if !item.name.is_empty() {
            part = part.with_location(item.name.clone());
        }
        parts.push(part);
    }
    let mut content = Part::related(parts).with_content_id("mo@canvass-sim");
    if let canvass_mm7::PartBody::Multipart { start, .. } = &mut content.body {
        // No SMIL here: a multipart/related without `start` has its first part as root, which is fine.
        *start = None;
    }
    let mut envelope = Envelope::new(
        shared.transaction_id("mo"),
        shared.namespace(),
        Body::DeliverReq(deliver),
    );
    envelope.content = Some(content);
    post(shared, &envelope).await?;
    shared.stats.inbound_sent(INTERFACE);
    Ok(())
}

/// POSTs `envelope` to the VASP and checks its answer's status is a success.
async fn post(shared: &Shared, envelope: &Envelope) -> Result<(), MmscError> {
    let url = shared.report_url().ok_or(MmscError::NoVaspUrl)?;
    let credentials = shared.report_credentials();
    let encoded = canvass_mm7::encode(envelope).map_err(|e| MmscError::Encode(e.to_string()))?;
    let mut last = MmscError::Vasp("not tried".into());
    for attempt in 1..=TRIES {
        let mut request = shared
            .client
            .post(&url)
            .header(header::CONTENT_TYPE, &encoded.content_type)
            .header("SOAPAction", "\"\"")
            .body(encoded.body.clone());
        if let Some((user, password)) = &credentials {
            request = request.basic_auth(user, Some(password));
        }
        let sent = request.send().await;
        last = match sent {
            Ok(response) => match answer_status(response).await {
                Ok(()) => return Ok(()),
                Err(error @ MmscError::Refused(_)) => return Err(error),
                Err(error) => error,
            },
            Err(error) => MmscError::Vasp(error.to_string()),
        };
        debug!(attempt, error = %last, %url, "MMSC request to the VASP failed");
        tokio::time::sleep(Duration::from_millis(50 * u64::from(attempt))).await;
    }
    Err(last)
}

/// Ok for an answer with a 1xxx status; `Refused` for 4xx HTTP or an MM7 failure code, `Vasp` for 5xx.
async fn answer_status(response: reqwest::Response) -> Result<(), MmscError> {
    let http = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = response
        .bytes()
        .await
        .map_err(|e| MmscError::Vasp(e.to_string()))?;
    let status = canvass_mm7::decode_http(content_type.as_deref(), &body)
        .ok()
        .and_then(|answer| answer.body.status().map(|s| s.code));
    match status {
        Some(code) if code.is_success() && http.is_success() => Ok(()),
        _ if http.is_server_error() => Err(MmscError::Vasp(format!("HTTP {http}"))),
        Some(code) => Err(MmscError::Refused(format!(
            "HTTP {http}, MM7 {}",
            describe(code)
        ))),
        None => Err(MmscError::Refused(format!(
            "HTTP {http}: {}",
            String::from_utf8_lossy(&body[..body.len().min(200)])
        ))),
    }
}

fn describe(code: Mm7Code) -> String {
    format!("{} {}", code.code(), code.description())
}

/// The current time as `YYYY-MM-DDThh:mm:ssZ` (civil-from-days, Howard Hinnant's algorithm).
fn now_iso8601() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = ((seconds / 86_400) as i64, seconds % 86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn timestamps_look_like_iso8601() {
        let now = super::now_iso8601();
        assert_eq!(now.len(), 20, "{now}");
        assert!(now.starts_with("20") && now.ends_with('Z'), "{now}");
    }
}
