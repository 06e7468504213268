//! Delivery receipts: the `id:… stat:… err:…` text of SMPP 3.4 appendix B, and the receipted_message_id,
//! message_state and network_error_code TLVs. A TLV wins over the text when both are present.

use crate::DeliveryState;

/// What the TLVs of a receipt said.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReceiptTlvs {
    /// receipted_message_id.
    pub message_id: Option<String>,
    /// message_state.
    pub state: Option<u8>,
    /// network_error_code's error code.
    pub network_error: Option<u16>,
}

/// A receipt before its id is matched to the one we returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedReceipt {
    /// The id as the receipt wrote it.
    pub message_id: String,
    /// What happened.
    pub state: DeliveryState,
    /// `err:` or the network error code, unless zero.
    pub error_code: Option<String>,
}

/// The value after `key:` in the receipt text, up to the next space.
fn field<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find(key) {
        let at = from + found;
        // A key starts the text or follows a space: "id:" must not match inside "msgid:".
        if at == 0 || lower.as_bytes()[at - 1] == b' ' {
            let value = &text[at + key.len()..];
            return Some(value.split(' ').next().unwrap_or(""));
        }
        from = at + key.len();
    }
    None
}

fn state_of_stat(stat: &str) -> DeliveryState {
    match stat.to_ascii_uppercase().as_str() {
        "DELIVRD" | "DELIVERED" => DeliveryState::Delivered,
        "EXPIRED" => DeliveryState::Expired,
        "DELETED" => DeliveryState::Deleted,
        "UNDELIV" | "UNDELIVERABLE" => DeliveryState::Undeliverable,
        "ACCEPTD" | "ACCEPTED" | "ENROUTE" => DeliveryState::EnRoute,
        "REJECTD" | "REJECTED" => DeliveryState::Rejected,
        _ => DeliveryState::Unknown,
    }
}

fn state_of_tlv(state: u8) -> DeliveryState {
    match state {
        1 | 6 => DeliveryState::EnRoute,
        2 => DeliveryState::Delivered,
        3 => DeliveryState::Expired,
        4 => DeliveryState::Deleted,
        5 => DeliveryState::Undeliverable,
        8 | 9 => DeliveryState::Rejected,
        _ => DeliveryState::Unknown,
    }
}

/// Reads a receipt; `None` when neither the text nor the TLVs name a message id and a state.
pub fn parse(text: &str, tlvs: &ReceiptTlvs) -> Option<ParsedReceipt> {
    let text_id = field(text, "id:").filter(|id| !id.is_empty());
    let message_id = tlvs.message_id.as_deref().or(text_id)?.to_owned();
    let state = match (tlvs.state, field(text, "stat:")) {
        (Some(state), _) => state_of_tlv(state),
        (None, Some(stat)) => state_of_stat(stat),
        (None, None) => return None,
    };
    let is_zero = |code: &str| code.chars().all(|c| c == '0');
    let error_code = field(text, "err:")
        .filter(|err| !err.is_empty() && !is_zero(err))
        .map(str::to_owned)
        .or_else(|| {
            tlvs.network_error
                .filter(|code| *code != 0)
                .map(|code| format!("{code:03}"))
        });
    Some(ParsedReceipt {
        message_id,
        state,
        error_code,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_appendix_b_text() {
        let text = "id:0123456789 sub:001 dlvrd:001 submit date:2511251200 done date:2511251201 \
                    stat:UNDELIV err:006 text:hello";
        let receipt = parse(text, &ReceiptTlvs::default()).expect("a receipt");
        assert_eq!(receipt.message_id, "0123456789");
        assert_eq!(receipt.state, DeliveryState::Undeliverable);
        assert_eq!(receipt.error_code.as_deref(), Some("006"));
    }

    #[test]
    fn tlvs_win_over_the_text() {
        let tlvs = ReceiptTlvs {
            message_id: Some("ab12".into()),
            state: Some(2),
            network_error: None,
        };
        let receipt = parse("id:999 stat:UNDELIV err:000", &tlvs).expect("a receipt");
        assert_eq!(receipt.message_id, "ab12");
        assert_eq!(receipt.state, DeliveryState::Delivered);
        assert_eq!(receipt.error_code, None);
    }

    #[test]
    fn text_without_id_or_state_is_not_a_receipt() {
        assert_eq!(parse("hello there", &ReceiptTlvs::default()), None);
        assert_eq!(parse("id:12", &ReceiptTlvs::default()), None);
        assert_eq!(
            parse("msgid:12 stat:DELIVRD", &ReceiptTlvs::default()),
            None
        );
    }
}
