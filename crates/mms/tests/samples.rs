//! The sample PDUs that the validator tests feed to tshark and python-messaging are complete (clause 6
//! mandatory fields) and round-trip, and together cover every message type.

mod support;

use std::collections::BTreeSet;

#[test]
fn samples_are_complete_and_cover_every_message_type() {
    let samples = support::samples::all();
    let mut types = BTreeSet::new();
    for (label, pdu) in &samples {
        assert!(
            pdu.missing_fields().is_empty(),
            "{label}: missing {:?}",
            pdu.missing_fields()
        );
        let bytes = canvass_mms::encode(pdu).unwrap();
        assert_eq!(&canvass_mms::decode(&bytes).unwrap(), pdu, "{label}");
        types.insert(pdu.message_type().unwrap());
    }
    assert_eq!(types.len(), 24);
}

#[test]
fn incomplete_pdus_name_what_is_missing() {
    let pdu = canvass_mms::Pdu::new(canvass_mms::MessageType::SendReq, Some("t"), (1, 2));
    assert_eq!(pdu.missing_fields(), ["From", "Content-Type"]);
}
