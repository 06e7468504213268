//! Mobile-originated messages: a deliver_sm in GSM-7 (data_coding 0, one septet per octet) when the text fits
//! the GSM default alphabet, UCS-2/UTF-16BE (data_coding 8) otherwise; long texts go in message_payload.

use rusmpp::{
    extra::encoding::gsm7bit::Gsm7BitUnpacked,
    pdus::DeliverSm,
    tlvs::MessageDeliveryRequestTlvValue,
    types::{AnyOctetString, COctetString, OctetString},
    values::{DataCoding, EsmClass, MessagePayload, Npi, Ton},
};

use super::SmscError;

/// Octets that fit one SMS: 160 septets unpacked, or 140 octets of UCS-2.
fn fits_one_sms(data_coding: DataCoding, octets: usize) -> bool {
    match data_coding {
        DataCoding::Ucs2 => octets <= 140,
        _ => octets <= 160,
    }
}

fn address(value: &str) -> Result<COctetString<1, 21>, SmscError> {
    COctetString::from_string(value.to_owned()).map_err(|_| SmscError::Address(value.to_owned()))
}

fn ton_of(address: &str) -> Ton {
    if address.starts_with('+') {
        Ton::International
    } else {
        Ton::Unknown
    }
}

/// The deliver_sm for an MO text from `from` (a handset) to `to` (the client's number or short code).
pub(crate) fn deliver_sm(from: &str, to: &str, text: &str) -> Result<DeliverSm, SmscError> {
    let (data_coding, octets) = match Gsm7BitUnpacked::new().encode_to_vec(text) {
        Ok(septets) => (DataCoding::McSpecific, septets),
        Err(_) => (
            DataCoding::Ucs2,
            text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        ),
    };
    let builder = DeliverSm::builder()
        .source_addr_ton(ton_of(from))
        .source_addr_npi(Npi::Isdn)
        .source_addr(address(from.trim_start_matches('+'))?)
        .dest_addr_ton(ton_of(to))
        .dest_addr_npi(Npi::Isdn)
        .destination_addr(address(to.trim_start_matches('+'))?)
        // Explicit: rusmpp's EsmClass::default() is 0x08 (ANSI-41 delivery acknowledgement), not 0.
        .esm_class(EsmClass::from(0))
        .data_coding(data_coding);
    let pdu = if fits_one_sms(data_coding, octets.len()) {
        let short = OctetString::from_vec(octets).map_err(|_| SmscError::TooLong)?;
        builder.short_message(short)
    } else {
        builder.push_tlv(MessageDeliveryRequestTlvValue::MessagePayload(
            MessagePayload::new(AnyOctetString::from_vec(octets)),
        ))
    };
    Ok(pdu.build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gsm_text_is_one_septet_per_octet_and_other_text_is_ucs2() {
        let gsm = deliver_sm("+12025550100", "12345", "STOP").expect("encodable");
        assert_eq!(gsm.data_coding, DataCoding::McSpecific);
        assert_eq!(gsm.short_message().as_ref(), b"STOP");
        let ucs2 = deliver_sm("+12025550100", "12345", "Привет").expect("encodable");
        assert_eq!(ucs2.data_coding, DataCoding::Ucs2);
        assert_eq!(&ucs2.short_message().as_ref()[..2], &[0x04, 0x1F]);
    }

    #[test]
    fn long_text_goes_in_message_payload() {
        let pdu = deliver_sm("+12025550100", "12345", &"x".repeat(300)).expect("encodable");
        assert!(pdu.short_message().is_empty());
        assert_eq!(pdu.tlvs().len(), 1);
    }
}
