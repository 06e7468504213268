//! The connectionless WSP Push PDU (WAP-230-WSP 8.2.4.1 and 8.2.1: TID, PDU type, headers length, content
//! type + headers, data), as used to deliver an MMS m-notification-ind (OMA-MMS-ENC 1.3 clause 6.1 / WAP-251
//! PushMessage, X-Wap-Application-Id `x-wap-application:mms.ua` = 0x04).

use crate::content_type::{ContentType, put_content_type};
use crate::error::{Error, ErrorKind, Result};
use crate::header::{Header, HeaderName, HeaderValue, put_header};
use crate::integer::put_uintvar;
use crate::reader::Reader;
use crate::well_known::header;

/// PDU type of Push (Table 34).
pub const PDU_PUSH: u8 = 0x06;
/// PDU type of ConfirmedPush.
pub const PDU_CONFIRMED_PUSH: u8 = 0x07;
/// The content type of an MMS PDU.
pub const MMS_CONTENT_TYPE: &str = "application/vnd.wap.mms-message";
/// Push application id of the MMS user agent (`x-wap-application:mms.ua`).
pub const MMS_UA_APPLICATION_ID: u8 = 0x04;

/// A decoded push PDU.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PushPdu {
    /// Transaction id (connectionless mode carries it in the first octet).
    pub tid: u8,
    /// Push (0x06) or ConfirmedPush (0x07).
    pub pdu_type: u8,
    /// The pushed content's type.
    pub content_type: ContentType,
    /// Headers after the content type.
    pub headers: Vec<Header>,
    /// The pushed content (for MMS, the m-notification-ind PDU).
    pub body: Vec<u8>,
}

impl PushPdu {
    /// A push of an MMS PDU (normally an m-notification-ind) to the MMS user agent.
    pub fn mms(tid: u8, mms_pdu: impl Into<Vec<u8>>) -> Self {
        PushPdu {
            tid,
            pdu_type: PDU_PUSH,
            content_type: ContentType::new(MMS_CONTENT_TYPE),
            headers: vec![Header {
                name: HeaderName::Code(header::X_WAP_APPLICATION_ID),
                value: HeaderValue::Short(MMS_UA_APPLICATION_ID),
            }],
            body: mms_pdu.into(),
        }
    }

    /// The X-Wap-Application-Id, when given as a well-known code.
    pub fn application_id(&self) -> Option<u8> {
        self.headers.iter().find_map(|h| match (&h.name, &h.value) {
            (HeaderName::Code(header::X_WAP_APPLICATION_ID), HeaderValue::Short(v)) => Some(*v),
            _ => None,
        })
    }

    /// Encodes the PDU.
    pub fn encode(&self) -> Result<Vec<u8>> {
        let mut head = Vec::new();
        put_content_type(&mut head, &self.content_type)?;
        for h in &self.headers {
            put_header(&mut head, h)?;
        }
        let mut out = Vec::with_capacity(head.len() + self.body.len() + 8);
        out.push(self.tid);
        out.push(self.pdu_type);
        put_uintvar(
            &mut out,
            u32::try_from(head.len()).map_err(|_| Error::unencodable("headers too long"))?,
        );
        out.extend_from_slice(&head);
        out.extend_from_slice(&self.body);
        Ok(out)
    }

    /// Decodes a connectionless push PDU.
    pub fn decode(data: &[u8]) -> Result<PushPdu> {
        let mut r = Reader::new(data);
        let tid = r.u8()?;
        let pdu_type = r.peek()?;
        if pdu_type != PDU_PUSH && pdu_type != PDU_CONFIRMED_PUSH {
            return Err(r.error(ErrorKind::UnexpectedPduType(pdu_type)));
        }
        r.u8()?;
        let headers_len = r.uintvar()? as usize;
        let mut head = r.sub(headers_len)?;
        let content_type = head.content_type()?;
        let headers = head.headers()?;
        Ok(PushPdu {
            tid,
            pdu_type,
            content_type,
            headers,
            body: r.rest().to_vec(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mms_push_layout() {
        let pdu = PushPdu::mms(0x01, vec![0x8C, 0x82]);
        let bytes = pdu.encode().unwrap();
        assert_eq!(bytes, [0x01, 0x06, 0x03, 0xBE, 0xAF, 0x84, 0x8C, 0x82]);
        let back = PushPdu::decode(&bytes).unwrap();
        assert_eq!(back, pdu);
        assert_eq!(back.application_id(), Some(4));
    }

    #[test]
    fn rejects_other_pdu_types() {
        let err = PushPdu::decode(&[0x01, 0x04, 0x00]).unwrap_err();
        assert_eq!((err.kind, err.offset), (ErrorKind::UnexpectedPduType(4), 1));
    }
}
