//! X-Mms-Message-Type (OMA-MMS-ENC 1.3 clause 7.3.30) and the PDU each value names (clause 6).

/// The 24 message types of MMS 1.3, with their wire codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
#[allow(missing_docs)] // Each variant is documented by its entry in `ALL` (name and clause).
pub enum MessageType {
    SendReq = 0x80,
    SendConf = 0x81,
    NotificationInd = 0x82,
    NotifyRespInd = 0x83,
    RetrieveConf = 0x84,
    AcknowledgeInd = 0x85,
    DeliveryInd = 0x86,
    ReadRecInd = 0x87,
    ReadOrigInd = 0x88,
    ForwardReq = 0x89,
    ForwardConf = 0x8A,
    MboxStoreReq = 0x8B,
    MboxStoreConf = 0x8C,
    MboxViewReq = 0x8D,
    MboxViewConf = 0x8E,
    MboxUploadReq = 0x8F,
    MboxUploadConf = 0x90,
    MboxDeleteReq = 0x91,
    MboxDeleteConf = 0x92,
    MboxDescr = 0x93,
    DeleteReq = 0x94,
    DeleteConf = 0x95,
    CancelReq = 0x96,
    CancelConf = 0x97,
}

/// Every message type with its PDU name and the OMA-MMS-ENC 1.3 clause that defines it.
pub const ALL: [(MessageType, &str, &str); 24] = [
    (MessageType::SendReq, "m-send-req", "6.1.1"),
    (MessageType::SendConf, "m-send-conf", "6.1.2"),
    (MessageType::NotificationInd, "m-notification-ind", "6.2"),
    (MessageType::NotifyRespInd, "m-notifyresp-ind", "6.2"),
    (MessageType::RetrieveConf, "m-retrieve-conf", "6.3"),
    (MessageType::AcknowledgeInd, "m-acknowledge-ind", "6.4"),
    (MessageType::DeliveryInd, "m-delivery-ind", "6.6"),
    (MessageType::ReadRecInd, "m-read-rec-ind", "6.7.2"),
    (MessageType::ReadOrigInd, "m-read-orig-ind", "6.7.2"),
    (MessageType::ForwardReq, "m-forward-req", "6.5.1"),
    (MessageType::ForwardConf, "m-forward-conf", "6.5.2"),
    (MessageType::MboxStoreReq, "m-mbox-store-req", "6.8.1"),
    (MessageType::MboxStoreConf, "m-mbox-store-conf", "6.8.2"),
    (MessageType::MboxViewReq, "m-mbox-view-req", "6.9.1"),
    (MessageType::MboxViewConf, "m-mbox-view-conf", "6.9.2"),
    (MessageType::MboxUploadReq, "m-mbox-upload-req", "6.10.1"),
    (MessageType::MboxUploadConf, "m-mbox-upload-conf", "6.10.2"),
    (MessageType::MboxDeleteReq, "m-mbox-delete-req", "6.11.1"),
    (MessageType::MboxDeleteConf, "m-mbox-delete-conf", "6.11.2"),
    (MessageType::MboxDescr, "m-mbox-descr", "6.12"),
    (MessageType::DeleteReq, "m-delete-req", "6.13.1"),
    (MessageType::DeleteConf, "m-delete-conf", "6.13.2"),
    (MessageType::CancelReq, "m-cancel-req", "6.14.1"),
    (MessageType::CancelConf, "m-cancel-conf", "6.14.2"),
];

impl MessageType {
    /// The type with wire code `code` (0x80–0x97).
    pub fn from_code(code: u8) -> Option<Self> {
        ALL.iter()
            .find(|(t, _, _)| *t as u8 == code)
            .map(|(t, _, _)| *t)
    }

    /// The type named `name` (such as `m-send-req`, or `send-req`).
    pub fn from_name(name: &str) -> Option<Self> {
        let name = name.to_ascii_lowercase();
        ALL.iter()
            .find(|(_, n, _)| *n == name || n.strip_prefix("m-") == Some(name.as_str()))
            .map(|(t, _, _)| *t)
    }

    /// The wire code.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The PDU name, such as `m-send-req`.
    pub fn name(self) -> &'static str {
        ALL[usize::from(self as u8 - 0x80)].1
    }

    /// The header fields clause 6 makes mandatory for this type, besides X-Mms-Message-Type and
    /// X-Mms-MMS-Version (Content-Type stands for a body). Conditional fields (one of To/Cc/Bcc, …) are not
    /// listed.
    pub fn mandatory_fields(self) -> &'static [u8] {
        use crate::field::code::*;
        use MessageType as T;
        match self {
            T::SendReq => &[TRANSACTION_ID, FROM, CONTENT_TYPE],
            T::SendConf | T::ForwardConf | T::MboxViewConf | T::MboxDeleteConf => {
                &[TRANSACTION_ID, RESPONSE_STATUS]
            }
            T::NotificationInd => &[
                TRANSACTION_ID,
                MESSAGE_CLASS,
                MESSAGE_SIZE,
                EXPIRY,
                CONTENT_LOCATION,
            ],
            T::NotifyRespInd => &[TRANSACTION_ID, STATUS],
            T::RetrieveConf => &[DATE, CONTENT_TYPE],
            T::AcknowledgeInd | T::MboxViewReq | T::DeleteConf => &[TRANSACTION_ID],
            T::DeliveryInd => &[MESSAGE_ID, TO, DATE, STATUS],
            T::ReadRecInd => &[MESSAGE_ID, TO, FROM, READ_STATUS],
            T::ReadOrigInd => &[MESSAGE_ID, TO, FROM, DATE, READ_STATUS],
            T::ForwardReq => &[TRANSACTION_ID, FROM, CONTENT_LOCATION],
            T::MboxStoreReq | T::MboxDeleteReq | T::DeleteReq => {
                &[TRANSACTION_ID, CONTENT_LOCATION]
            }
            T::MboxStoreConf | T::MboxUploadConf => &[TRANSACTION_ID, STORE_STATUS],
            T::MboxUploadReq => &[TRANSACTION_ID, CONTENT_TYPE],
            T::MboxDescr => &[],
            T::CancelReq => &[TRANSACTION_ID, CANCEL_ID],
            T::CancelConf => &[TRANSACTION_ID, CANCEL_STATUS],
        }
    }

    /// True for the PDUs that carry a message body after Content-Type.
    pub fn has_body(self) -> bool {
        matches!(
            self,
            MessageType::SendReq
                | MessageType::RetrieveConf
                | MessageType::MboxUploadReq
                | MessageType::MboxViewConf
                | MessageType::MboxDescr
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_agree() {
        for (i, (t, name, _)) in ALL.iter().enumerate() {
            assert_eq!(t.code(), 0x80 + i as u8);
            assert_eq!(MessageType::from_code(t.code()), Some(*t));
            assert_eq!(MessageType::from_name(name), Some(*t));
        }
        assert_eq!(MessageType::from_code(0x98), None);
        assert_eq!(
            MessageType::from_name("retrieve-conf"),
            Some(MessageType::RetrieveConf)
        );
    }
}
