//! Delivery of an m-notification-ind by WAP Push over SMS (OMA-MMS-ENC 1.3 clause 6.2 and WAP-209-MMSEncapsulation
//! "MMS over WSP"): the PDU in a connectionless WSP Push (content type application/vnd.wap.mms-message,
//! X-Wap-Application-Id 0x84), split into 8-bit SMS user data with a UDH addressed to port 2948. Submit each
//! segment with esm_class 0x40 (UDHI) and data_coding 0x04.

use canvass_wsp::push::{MMS_CONTENT_TYPE, PushPdu};
use canvass_wsp::sms;

pub use canvass_wsp::sms::SegmentOptions;

use crate::error::{Error, ErrorKind, Result};
use crate::pdu::Pdu;

/// The WSP push PDU carrying `notification`, with transaction id `tid`.
pub fn push_pdu(notification: &Pdu, tid: u8) -> Result<Vec<u8>> {
    Ok(PushPdu::mms(tid, crate::encode(notification)?).encode()?)
}

/// The SMS user data (UDH included) that carry `notification`; the concatenation reference doubles as TID.
pub fn segments(notification: &Pdu, opts: &SegmentOptions) -> Result<Vec<Vec<u8>>> {
    let push = push_pdu(notification, opts.reference)?;
    Ok(sms::segments(&push, opts)?)
}

/// Like [`segments`], for an already encoded MMS PDU (e.g. a file), carried byte for byte.
pub fn segments_of_encoded(mms_pdu: &[u8], opts: &SegmentOptions) -> Result<Vec<Vec<u8>>> {
    let push = PushPdu::mms(opts.reference, mms_pdu.to_vec()).encode()?;
    Ok(sms::segments(&push, opts)?)
}

/// Decodes a WSP push PDU that carries an MMS PDU.
pub fn decode_push(push: &[u8]) -> Result<Pdu> {
    let pdu = PushPdu::decode(push)?;
    if !pdu
        .content_type
        .media_type()
        .eq_ignore_ascii_case(MMS_CONTENT_TYPE)
    {
        return Err(Error::new(ErrorKind::NotMmsPush, 2));
    }
    let offset = push.len() - pdu.body.len();
    crate::decode(&pdu.body).map_err(|e| Error::new(e.kind, e.offset + offset))
}

/// Reassembles SMS user data (any order) and decodes the MMS PDU they carry.
pub fn decode_segments(segments: &[&[u8]]) -> Result<Pdu> {
    decode_push(&sms::reassemble(segments)?.payload)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::code;
    use crate::{MessageType, Time, Value};

    fn notification(location: &str) -> Pdu {
        Pdu::new(MessageType::NotificationInd, Some("T1"), (1, 2))
            .with(code::MESSAGE_CLASS, Value::Octet(0x80))
            .with(code::MESSAGE_SIZE, Value::Long(30_000))
            .with(code::EXPIRY, Value::Time(Time::Relative(86_400)))
            .with(code::CONTENT_LOCATION, Value::Text(location.into()))
    }

    #[test]
    fn short_notification_fits_one_sms() {
        let n = notification("http://mmsc/a");
        let segs = segments(&n, &SegmentOptions::default()).unwrap();
        assert_eq!(segs.len(), 1);
        assert_eq!(&segs[0][..7], &[6, 5, 4, 0x0B, 0x84, 0x23, 0xF0]);
        assert_eq!(&segs[0][8..12], &[0x06, 0x03, 0xBE, 0xAF]);
        assert_eq!(decode_segments(&[&segs[0]]).unwrap(), n);
    }

    #[test]
    fn other_push_content_is_refused() {
        let mut si = PushPdu::mms(1, b"<si/>".to_vec());
        si.content_type = canvass_wsp::ContentType::new("text/vnd.wap.si");
        let err = decode_push(&si.encode().unwrap()).unwrap_err();
        assert_eq!((err.kind, err.offset), (ErrorKind::NotMmsPush, 2));
    }

    #[test]
    fn encoded_bytes_travel_unchanged() {
        let bytes = crate::encode(&notification("http://mmsc/b")).unwrap();
        let opts = SegmentOptions {
            max_user_data: 40,
            ..SegmentOptions::default()
        };
        let segs = segments_of_encoded(&bytes, &opts).unwrap();
        assert!(segs.len() > 1 && segs.iter().all(|s| s.len() <= 40));
        let refs: Vec<&[u8]> = segs.iter().map(Vec::as_slice).collect();
        let push = sms::reassemble(&refs).unwrap().payload;
        assert!(push.ends_with(&bytes));
    }

    #[test]
    fn long_notification_is_concatenated() {
        let n = notification(&format!("http://mmsc.example.com/{}", "x".repeat(200)));
        let opts = SegmentOptions {
            reference: 42,
            ..SegmentOptions::default()
        };
        let segs = segments(&n, &opts).unwrap();
        assert!(segs.len() >= 2);
        assert!(segs.iter().all(|s| s.len() <= 140));
        let refs: Vec<&[u8]> = segs.iter().rev().map(Vec::as_slice).collect();
        assert_eq!(decode_segments(&refs).unwrap(), n);
    }
}
