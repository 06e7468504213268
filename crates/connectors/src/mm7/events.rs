//! What the MMSC tells us, as connector events: delivery reports and read replies become receipts,
//! DeliverReq an inbound message.

use bytes::Bytes;
use canvass_mm7::{Address, DeliverReq, DeliveryReportReq, MmStatus, Part, PartBody, ReadReplyReq};

use crate::{DeliveryState, InboundMessage, MediaPart, Receipt};

/// MM7 `MMStatus` (TS 23.140 §8.7.4) as our delivery state. Rejected and Unrecognised (the recipient's
/// MMS UA is unknown, as for a landline) both mean the message cannot be delivered.
pub(crate) fn delivery_state(status: &MmStatus) -> DeliveryState {
    match status {
        MmStatus::Retrieved => DeliveryState::Delivered,
        MmStatus::Read => DeliveryState::Read,
        MmStatus::Expired => DeliveryState::Expired,
        MmStatus::Rejected | MmStatus::Unrecognised => DeliveryState::Undeliverable,
        MmStatus::Forwarded | MmStatus::Deferred => DeliveryState::EnRoute,
        MmStatus::Deleted => DeliveryState::Deleted,
        MmStatus::Indeterminate | MmStatus::Other(_) => DeliveryState::Unknown,
    }
}

/// The number without the `/TYPE=PLMN` suffix some MMSCs append.
fn plain(address: &Address) -> String {
    let value = address.value.trim();
    match value.find("/TYPE=") {
        Some(at) => value[..at].to_string(),
        None => value.to_string(),
    }
}

/// The reason a report gives, for anything but success: the MMStatusExtension (REL-6-MM7-1-4), else the
/// StatusText, else the MMStatus itself, so that a failed delivery always carries a code.
fn error_code(
    state: DeliveryState,
    status: &MmStatus,
    extension: Option<&str>,
    text: Option<&str>,
) -> Option<String> {
    if matches!(
        state,
        DeliveryState::Delivered | DeliveryState::Read | DeliveryState::EnRoute
    ) {
        return None;
    }
    extension
        .or(text)
        .filter(|value| !value.trim().is_empty())
        .map_or_else(
            || Some(status.as_str().to_string()),
            |value| Some(value.trim().to_string()),
        )
}

/// A DeliveryReportReq as a receipt for the MessageID the SubmitRsp gave.
pub(crate) fn report_receipt(report: &DeliveryReportReq) -> Receipt {
    let state = delivery_state(&report.mm_status);
    Receipt {
        carrier_id: report.message_id.clone(),
        state,
        error_code: error_code(
            state,
            &report.mm_status,
            report.mm_status_extension.as_deref(),
            report.status_text.as_deref(),
        ),
        to: Some(plain(&report.recipient)),
    }
}

/// A ReadReplyReq as a receipt (Read, or Deleted unread).
pub(crate) fn read_reply_receipt(reply: &ReadReplyReq) -> Receipt {
    let state = delivery_state(&reply.mm_status);
    Receipt {
        carrier_id: reply.message_id.clone(),
        state,
        error_code: error_code(state, &reply.mm_status, None, reply.status_text.as_deref()),
        to: Some(plain(&reply.recipient)),
    }
}

/// A DeliverReq as an inbound message: text parts joined as the text, every other part except the SMIL as
/// media.
pub(crate) fn inbound(deliver: &DeliverReq, content: Option<&Part>) -> InboundMessage {
    let mut texts = Vec::new();
    let mut media = Vec::new();
    for (index, leaf) in content
        .map(Part::leaves)
        .unwrap_or_default()
        .into_iter()
        .enumerate()
    {
        let PartBody::Data(data) = &leaf.body else {
            continue;
        };
        match leaf.content_type.as_str() {
            "text/plain" => texts.push(String::from_utf8_lossy(data).into_owned()),
            "application/smil" => {}
            other => media.push(MediaPart {
                content_type: other.to_string(),
                name: leaf
                    .content_location
                    .clone()
                    .or_else(|| leaf.name.clone())
                    .unwrap_or_else(|| format!("part{}", index + 1)),
                data: Bytes::from(data.clone()),
            }),
        }
    }
    let to = deliver
        .recipients
        .as_ref()
        .and_then(|r| r.to.first().or(r.cc.first()).or(r.bcc.first()))
        .map(plain)
        .unwrap_or_default();
    InboundMessage {
        from: plain(&deliver.sender),
        to,
        text: (!texts.is_empty()).then(|| texts.join("\n")),
        media,
        carrier_id: deliver.linked_id.clone(),
        postback: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_states() {
        assert_eq!(
            delivery_state(&MmStatus::Retrieved),
            DeliveryState::Delivered
        );
        assert_eq!(delivery_state(&MmStatus::Deferred), DeliveryState::EnRoute);
        assert_eq!(
            delivery_state(&MmStatus::Unrecognised),
            DeliveryState::Undeliverable
        );
        assert_eq!(
            delivery_state(&MmStatus::Indeterminate),
            DeliveryState::Unknown
        );
        assert_eq!(
            delivery_state(&MmStatus::Other("x".into())),
            DeliveryState::Unknown
        );
    }

    #[test]
    fn failed_reports_always_carry_a_code() {
        let report = DeliveryReportReq {
            relay_server_id: None,
            message_id: "m1".into(),
            recipient: Address::number("+12025550123/TYPE=PLMN"),
            sender: Address::number("12345"),
            date: "2026-01-01T00:00:00Z".into(),
            mm_status: MmStatus::Rejected,
            mm_status_extension: None,
            status_text: None,
            application: Default::default(),
            ua_capabilities: None,
        };
        let receipt = report_receipt(&report);
        assert_eq!(receipt.error_code.as_deref(), Some("Rejected"));
        assert_eq!(receipt.to.as_deref(), Some("+12025550123"));
    }
}
