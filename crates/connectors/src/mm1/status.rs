//! X-Mms-Status values (OMA-MMS-ENC 1.3 §7.3.54) as delivery states.

use crate::DeliveryState;

/// The delivery state an m-delivery-ind's X-Mms-Status reports.
pub fn delivery_state(status: u8) -> DeliveryState {
    match status {
        0x80 => DeliveryState::Expired,
        0x81 => DeliveryState::Delivered,
        0x82 => DeliveryState::Rejected,
        0x83 | 0x86 => DeliveryState::EnRoute, // deferred, forwarded
        0x87 => DeliveryState::Undeliverable,  // unreachable
        _ => DeliveryState::Unknown,           // unrecognised, indeterminate, reserved
    }
}

/// The name OMA gives a status value, for handset events and logs.
pub fn status_name(status: u8) -> &'static str {
    match status {
        0x80 => "Expired",
        0x81 => "Retrieved",
        0x82 => "Rejected",
        0x83 => "Deferred",
        0x84 => "Unrecognised",
        0x85 => "Indeterminate",
        0x86 => "Forwarded",
        0x87 => "Unreachable",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retrieved_is_delivered_and_deferred_is_not_final() {
        assert_eq!(delivery_state(0x81), DeliveryState::Delivered);
        assert!(!delivery_state(0x83).is_final());
        assert_eq!(delivery_state(0x80), DeliveryState::Expired);
        assert_eq!(delivery_state(0x42), DeliveryState::Unknown);
        assert_eq!(status_name(0x81), "Retrieved");
    }
}
