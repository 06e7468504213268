//! A message as Twilio's Message resource: every field the SDKs read, with Twilio's types (`num_media` and
//! `num_segments` are strings, `error_code` a number or null, dates in RFC 2822).

use canvass_accounts::AccountSid;
use canvass_store::ApiMessage;
use jiff::Timestamp;
use serde_json::{Value, json};

/// The API version in every path.
pub const API_VERSION: &str = "2010-04-01";

/// RFC 2822 in UTC, as Twilio writes dates: `Thu, 30 Jul 2015 20:12:31 +0000`.
pub fn rfc2822(ms: i64) -> String {
    Timestamp::from_millisecond(ms)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .strftime("%a, %d %b %Y %H:%M:%S +0000")
        .to_string()
}

/// The path of an account's messages list.
pub fn messages_path(account: &AccountSid) -> String {
    format!("/{API_VERSION}/Accounts/{account}/Messages.json")
}

/// A stable `ME…` id for a message's `index`-th media.
pub fn media_sid(message: &str, index: usize) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("{message}/{index}").as_bytes());
    format!("ME{}", hex::encode(&digest[..16]))
}

/// Twilio's status for a stored message at `now`, and its error code and text.
pub fn twilio_status(m: &ApiMessage, now_ms: i64) -> (&'static str, Option<u32>, Option<String>) {
    let detail = || m.error_detail.clone().or_else(|| m.error_code.clone());
    match m.status.as_str() {
        "queued" if m.send_at.is_some_and(|at| at > now_ms) => ("scheduled", None, None),
        "queued" => ("queued", None, None),
        "sending" => ("sending", None, None),
        "sent" => ("sent", None, None),
        "delivered" => ("delivered", None, None),
        "undelivered" => ("undelivered", Some(error_number(m, 30003)), detail()),
        // No receipt came in time: the carrier has it and never said more, which Twilio shows as sent.
        "expired" if m.error_code.as_deref() == Some("no_receipt") => ("sent", None, None),
        // The validity period ran out in the queue.
        "expired" => ("failed", Some(30001), detail()),
        "suppressed" if m.error_code.as_deref() == Some("canceled") => ("canceled", None, None),
        "suppressed" => ("failed", Some(error_number(m, 21610)), detail()),
        _ => ("failed", Some(error_number(m, 30008)), detail()),
    }
}

/// A carrier's numeric code as it came, else Twilio's nearest for our own codes, else `fallback`.
fn error_number(m: &ApiMessage, fallback: u32) -> u32 {
    let Some(code) = m.error_code.as_deref() else {
        return fallback;
    };
    if let Ok(n) = code.parse::<u32>() {
        return n;
    }
    match code {
        "opted_out" => 21610,
        "campaign_expired" => 30001,
        "landline" | "not_mobile" => 30006,
        "unreachable" | "absent_subscriber" => 30003,
        "media_error" | "fetch_failed" => 12300,
        _ => fallback,
    }
}

/// When the message last changed: its own edits (redaction), the hand-over, or the end — each stamped by the
/// clock of whoever made it, never the database's.
pub fn updated_ms(m: &ApiMessage) -> i64 {
    m.updated_ms
        .max(m.sent_ms.unwrap_or(0))
        .max(m.done_ms.unwrap_or(0))
}

/// The Message resource.
pub fn message_json(account: &AccountSid, m: &ApiMessage, now_ms: i64) -> Value {
    let (status, error_code, error_message) = twilio_status(m, now_ms);
    let uri = format!("/{API_VERSION}/Accounts/{account}/Messages/{}.json", m.sid);
    let media = format!(
        "/{API_VERSION}/Accounts/{account}/Messages/{}/Media.json",
        m.sid
    );
    json!({
        "account_sid": account.as_str(),
        "api_version": API_VERSION,
        "body": m.body,
        "date_created": rfc2822(m.created_ms),
        "date_sent": m.sent_ms.map(rfc2822),
        "date_updated": rfc2822(updated_ms(m)),
        "direction": m.direction,
        "error_code": error_code,
        "error_message": error_message,
        "from": m.from,
        "messaging_service_sid": m.messaging_service,
        "num_media": m.media.len().to_string(),
        "num_segments": m.segments.unwrap_or(1).to_string(),
        "price": null,
        "price_unit": "USD",
        "sid": m.sid,
        "status": status,
        "subresource_uris": { "media": media },
        "to": m.to,
        "uri": uri,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_rfc_2822_in_utc() {
        assert_eq!(
            rfc2822(1_438_287_151_000),
            "Thu, 30 Jul 2015 20:12:31 +0000"
        );
    }
}
