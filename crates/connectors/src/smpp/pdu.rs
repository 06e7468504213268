//! Building the submit_sm of one segment, and the bind of one session.

use std::{str::FromStr, time::Duration};

use rusmpp::{
    pdus::{BindReceiver, BindTransceiver, BindTransmitter, SubmitSm},
    tlvs::MessageSubmissionRequestTlvValue,
    types::{COctetString, EmptyOrFullCOctetString, OctetString},
    values::{DataCoding, EsmClass, InterfaceVersion, Npi, RegisteredDelivery, ServiceType, Ton},
};

use super::{
    config::{AddressPlan, SmppConfig, SmppVersion},
    segments::Segment,
};

/// esm_class with the user data header indicator.
const ESM_UDHI: u8 = 0x40;
/// TON international, NPI ISDN (E.164).
const INTERNATIONAL: (u8, u8) = (1, 1);
/// TON alphanumeric, NPI unknown (a sender name).
const ALPHANUMERIC: (u8, u8) = (5, 0);

/// TON, NPI and the digits as SMPP writes them: without the `+` of an E.164 number.
pub fn address(addr: &str, plan: AddressPlan) -> (u8, u8, String) {
    let (auto_ton, auto_npi) = if addr.starts_with('+') {
        INTERNATIONAL
    } else if addr.chars().any(|c| c.is_ascii_alphabetic()) {
        ALPHANUMERIC
    } else {
        (0, 1)
    };
    let digits = addr.trim_start_matches('+').to_owned();
    (
        plan.ton.unwrap_or(auto_ton),
        plan.npi.unwrap_or(auto_npi),
        digits,
    )
}

/// A relative validity period, `YYMMDDhhmmss000R`, capped at 99 days.
fn relative_time(validity: Duration) -> String {
    let total = validity.as_secs().min(99 * 86_400 + 86_399);
    let (days, rest) = (total / 86_400, total % 86_400);
    let (hours, rest) = (rest / 3600, rest % 3600);
    let (minutes, seconds) = (rest / 60, rest % 60);
    format!("0000{days:02}{hours:02}{minutes:02}{seconds:02}000R")
}

/// What varies per message.
#[derive(Debug, Clone)]
pub struct Envelope<'a> {
    /// Sender.
    pub from: &'a str,
    /// Recipient.
    pub to: &'a str,
    /// registered_delivery.
    pub registered_delivery: u8,
    /// Validity, when the caller set one.
    pub validity: Option<Duration>,
}

/// The submit_sm for one segment; `Err` names the field that does not fit.
pub fn submit_sm(
    config: &SmppConfig,
    envelope: &Envelope<'_>,
    segment: &Segment,
) -> Result<SubmitSm, String> {
    let (source_ton, source_npi, source) = address(envelope.from, config.source);
    let (dest_ton, dest_npi, dest) = address(envelope.to, config.destination);
    // Not EsmClass::default(): rusmpp defaults its ANSI-41 bits to 0x08 (delivery acknowledgement).
    let esm_class = EsmClass::from(if segment.udhi { ESM_UDHI } else { 0 });
    let validity = match envelope.validity {
        Some(validity) => EmptyOrFullCOctetString::from_str(&relative_time(validity))
            .map_err(|e| format!("validity_period: {e}"))?,
        None => EmptyOrFullCOctetString::empty(),
    };
    let mut sm = SubmitSm::builder()
        .service_type(ServiceType::default())
        .source_addr_ton(Ton::from(source_ton))
        .source_addr_npi(Npi::from(source_npi))
        .source_addr(COctetString::from_str(&source).map_err(|e| format!("source_addr: {e}"))?)
        .dest_addr_ton(Ton::from(dest_ton))
        .dest_addr_npi(Npi::from(dest_npi))
        .destination_addr(
            COctetString::from_str(&dest).map_err(|e| format!("destination_addr: {e}"))?,
        )
        .esm_class(esm_class)
        .validity_period(validity)
        .registered_delivery(RegisteredDelivery::from(envelope.registered_delivery))
        .data_coding(DataCoding::from(segment.data_coding))
        .short_message(
            OctetString::from_slice(&segment.short_message)
                .map_err(|e| format!("short_message: {e}"))?,
        )
        .build();
    if let Some(sar) = segment.sar {
        sm.push_tlv(MessageSubmissionRequestTlvValue::SarMsgRefNum(
            sar.reference,
        ));
        sm.push_tlv(MessageSubmissionRequestTlvValue::SarTotalSegments(
            sar.total,
        ));
        sm.push_tlv(MessageSubmissionRequestTlvValue::SarSegmentSeqnum(sar.seq));
    }
    Ok(sm)
}

/// The credentials of a bind, checked against SMPP's field sizes.
#[derive(Debug, Clone)]
pub struct Credentials {
    system_id: COctetString<1, 16>,
    password: COctetString<1, 9>,
    system_type: COctetString<1, 13>,
    version: InterfaceVersion,
}

impl Credentials {
    /// Reads them from the route's settings.
    pub fn of(config: &SmppConfig) -> Result<Self, String> {
        Ok(Self {
            system_id: COctetString::from_str(&config.system_id)
                .map_err(|e| format!("system_id (at most 15 characters): {e}"))?,
            password: COctetString::from_str(&config.password)
                .map_err(|e| format!("password (at most 8 characters): {e}"))?,
            system_type: COctetString::from_str(&config.system_type)
                .map_err(|e| format!("system_type (at most 12 characters): {e}"))?,
            version: match config.version {
                SmppVersion::V34 => InterfaceVersion::Smpp3_4,
                SmppVersion::V50 => InterfaceVersion::Smpp5_0,
            },
        })
    }

    /// bind_transmitter.
    pub fn transmitter(&self) -> BindTransmitter {
        BindTransmitter::builder()
            .system_id(self.system_id.clone())
            .password(self.password.clone())
            .system_type(self.system_type.clone())
            .interface_version(self.version)
            .build()
    }

    /// bind_receiver.
    pub fn receiver(&self) -> BindReceiver {
        BindReceiver::builder()
            .system_id(self.system_id.clone())
            .password(self.password.clone())
            .system_type(self.system_type.clone())
            .interface_version(self.version)
            .build()
    }

    /// bind_transceiver.
    pub fn transceiver(&self) -> BindTransceiver {
        BindTransceiver::builder()
            .system_id(self.system_id.clone())
            .password(self.password.clone())
            .system_type(self.system_type.clone())
            .interface_version(self.version)
            .build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_pick_their_plan() {
        assert_eq!(
            address("+4917012345", AddressPlan::default()),
            (1, 1, "4917012345".into())
        );
        assert_eq!(address("Canvass", AddressPlan::default()).0, 5);
        let forced = AddressPlan {
            ton: Some(3),
            npi: Some(9),
        };
        assert_eq!(address("+1", forced), (3, 9, "1".into()));
    }

    #[test]
    fn validity_is_relative() {
        assert_eq!(
            relative_time(Duration::from_secs(86_400 + 3661)),
            "000001010101000R"
        );
    }
}
