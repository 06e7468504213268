//! MMS header field names and their value encodings (OMA-MMS-ENC 1.3 clause 7.3, Table 24 "Field name
//! assignments"). The value kind decides how a field's value is read.

/// How a field's value is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One octet 128–255 (yes/no, priority, statuses, classes, version, …).
    Octet,
    /// Long-integer (Date-value, sizes).
    LongInteger,
    /// Integer-value (short or long).
    IntegerValue,
    /// Text-string (URIs, message and transaction ids, application ids).
    Text,
    /// Encoded-string-value (addresses, subject, status texts).
    Encoded,
    /// From-value: value-length, then an address or the insert-address token.
    From,
    /// Value-length, absolute (0x80) or relative (0x81) token, long-integer.
    Time,
    /// Value-length, forwarded count, Encoded-string-value (Previously-Sent-By).
    CountedAddress,
    /// Value-length, forwarded count, Date-value (Previously-Sent-Date).
    CountedDate,
    /// Value-length, add/remove/filter token, Encoded-string-value (MM-Flags).
    Flag,
    /// Value-length, message/size token, Integer-value (Mbox-Totals, Mbox-Quotas; Totals and Quotas are
    /// yes/no requests).
    Quantity,
    /// Class-identifier octet or token-text (X-Mms-Message-Class).
    ClassOrText,
    /// Value-length, content-reference text-string, parameters (Element-Descriptor).
    ElementDescriptor,
    /// Content-Type; ends the headers.
    ContentType,
    /// Anything else: kept in the generic WSP shape (WAP-230 8.4.1.2).
    Generic,
}

/// Field codes, without the high bit (X-Mms-Message-Type is 0x0C, written 0x8C).
#[allow(missing_docs)]
pub mod code {
    pub const BCC: u8 = 0x01;
    pub const CC: u8 = 0x02;
    pub const CONTENT_LOCATION: u8 = 0x03;
    pub const CONTENT_TYPE: u8 = 0x04;
    pub const DATE: u8 = 0x05;
    pub const DELIVERY_REPORT: u8 = 0x06;
    pub const DELIVERY_TIME: u8 = 0x07;
    pub const EXPIRY: u8 = 0x08;
    pub const FROM: u8 = 0x09;
    pub const MESSAGE_CLASS: u8 = 0x0A;
    pub const MESSAGE_ID: u8 = 0x0B;
    pub const MESSAGE_TYPE: u8 = 0x0C;
    pub const MMS_VERSION: u8 = 0x0D;
    pub const MESSAGE_SIZE: u8 = 0x0E;
    pub const PRIORITY: u8 = 0x0F;
    pub const READ_REPORT: u8 = 0x10;
    pub const REPORT_ALLOWED: u8 = 0x11;
    pub const RESPONSE_STATUS: u8 = 0x12;
    pub const RESPONSE_TEXT: u8 = 0x13;
    pub const SENDER_VISIBILITY: u8 = 0x14;
    pub const STATUS: u8 = 0x15;
    pub const SUBJECT: u8 = 0x16;
    pub const TO: u8 = 0x17;
    pub const TRANSACTION_ID: u8 = 0x18;
    pub const RETRIEVE_STATUS: u8 = 0x19;
    pub const RETRIEVE_TEXT: u8 = 0x1A;
    pub const READ_STATUS: u8 = 0x1B;
    pub const REPLY_CHARGING: u8 = 0x1C;
    pub const REPLY_CHARGING_DEADLINE: u8 = 0x1D;
    pub const REPLY_CHARGING_ID: u8 = 0x1E;
    pub const REPLY_CHARGING_SIZE: u8 = 0x1F;
    pub const PREVIOUSLY_SENT_BY: u8 = 0x20;
    pub const PREVIOUSLY_SENT_DATE: u8 = 0x21;
    pub const STORE: u8 = 0x22;
    pub const MM_STATE: u8 = 0x23;
    pub const MM_FLAGS: u8 = 0x24;
    pub const STORE_STATUS: u8 = 0x25;
    pub const STORE_STATUS_TEXT: u8 = 0x26;
    pub const STORED: u8 = 0x27;
    pub const ATTRIBUTES: u8 = 0x28;
    pub const TOTALS: u8 = 0x29;
    pub const MBOX_TOTALS: u8 = 0x2A;
    pub const QUOTAS: u8 = 0x2B;
    pub const MBOX_QUOTAS: u8 = 0x2C;
    pub const MESSAGE_COUNT: u8 = 0x2D;
    pub const CONTENT: u8 = 0x2E;
    pub const START: u8 = 0x2F;
    pub const ADDITIONAL_HEADERS: u8 = 0x30;
    pub const DISTRIBUTION_INDICATOR: u8 = 0x31;
    pub const ELEMENT_DESCRIPTOR: u8 = 0x32;
    pub const LIMIT: u8 = 0x33;
    pub const RECOMMENDED_RETRIEVAL_MODE: u8 = 0x34;
    pub const RECOMMENDED_RETRIEVAL_MODE_TEXT: u8 = 0x35;
    pub const STATUS_TEXT: u8 = 0x36;
    pub const APPLIC_ID: u8 = 0x37;
    pub const REPLY_APPLIC_ID: u8 = 0x38;
    pub const AUX_APPLIC_INFO: u8 = 0x39;
    pub const CONTENT_CLASS: u8 = 0x3A;
    pub const DRM_CONTENT: u8 = 0x3B;
    pub const ADAPTATION_ALLOWED: u8 = 0x3C;
    pub const REPLACE_ID: u8 = 0x3D;
    pub const CANCEL_ID: u8 = 0x3E;
    pub const CANCEL_STATUS: u8 = 0x3F;
}

/// (code, name, kind) for every assigned field, in code order.
pub const FIELDS: &[(u8, &str, Kind)] = &[
    (code::BCC, "Bcc", Kind::Encoded),
    (code::CC, "Cc", Kind::Encoded),
    (code::CONTENT_LOCATION, "X-Mms-Content-Location", Kind::Text),
    (code::CONTENT_TYPE, "Content-Type", Kind::ContentType),
    (code::DATE, "Date", Kind::LongInteger),
    (code::DELIVERY_REPORT, "X-Mms-Delivery-Report", Kind::Octet),
    (code::DELIVERY_TIME, "X-Mms-Delivery-Time", Kind::Time),
    (code::EXPIRY, "X-Mms-Expiry", Kind::Time),
    (code::FROM, "From", Kind::From),
    (
        code::MESSAGE_CLASS,
        "X-Mms-Message-Class",
        Kind::ClassOrText,
    ),
    (code::MESSAGE_ID, "Message-ID", Kind::Text),
    (code::MESSAGE_TYPE, "X-Mms-Message-Type", Kind::Octet),
    (code::MMS_VERSION, "X-Mms-MMS-Version", Kind::Octet),
    (code::MESSAGE_SIZE, "X-Mms-Message-Size", Kind::LongInteger),
    (code::PRIORITY, "X-Mms-Priority", Kind::Octet),
    (code::READ_REPORT, "X-Mms-Read-Report", Kind::Octet),
    (code::REPORT_ALLOWED, "X-Mms-Report-Allowed", Kind::Octet),
    (code::RESPONSE_STATUS, "X-Mms-Response-Status", Kind::Octet),
    (code::RESPONSE_TEXT, "X-Mms-Response-Text", Kind::Encoded),
    (
        code::SENDER_VISIBILITY,
        "X-Mms-Sender-Visibility",
        Kind::Octet,
    ),
    (code::STATUS, "X-Mms-Status", Kind::Octet),
    (code::SUBJECT, "Subject", Kind::Encoded),
    (code::TO, "To", Kind::Encoded),
    (code::TRANSACTION_ID, "X-Mms-Transaction-Id", Kind::Text),
    (code::RETRIEVE_STATUS, "X-Mms-Retrieve-Status", Kind::Octet),
    (code::RETRIEVE_TEXT, "X-Mms-Retrieve-Text", Kind::Encoded),
    (code::READ_STATUS, "X-Mms-Read-Status", Kind::Octet),
    (code::REPLY_CHARGING, "X-Mms-Reply-Charging", Kind::Octet),
    (
        code::REPLY_CHARGING_DEADLINE,
        "X-Mms-Reply-Charging-Deadline",
        Kind::Time,
    ),
    (
        code::REPLY_CHARGING_ID,
        "X-Mms-Reply-Charging-ID",
        Kind::Text,
    ),
    (
        code::REPLY_CHARGING_SIZE,
        "X-Mms-Reply-Charging-Size",
        Kind::LongInteger,
    ),
    (
        code::PREVIOUSLY_SENT_BY,
        "X-Mms-Previously-Sent-By",
        Kind::CountedAddress,
    ),
    (
        code::PREVIOUSLY_SENT_DATE,
        "X-Mms-Previously-Sent-Date",
        Kind::CountedDate,
    ),
    (code::STORE, "X-Mms-Store", Kind::Octet),
    (code::MM_STATE, "X-Mms-MM-State", Kind::Octet),
    (code::MM_FLAGS, "X-Mms-MM-Flags", Kind::Flag),
    (code::STORE_STATUS, "X-Mms-Store-Status", Kind::Octet),
    (
        code::STORE_STATUS_TEXT,
        "X-Mms-Store-Status-Text",
        Kind::Encoded,
    ),
    (code::STORED, "X-Mms-Stored", Kind::Octet),
    (code::ATTRIBUTES, "X-Mms-Attributes", Kind::Octet),
    (code::TOTALS, "X-Mms-Totals", Kind::Octet),
    (code::MBOX_TOTALS, "X-Mms-Mbox-Totals", Kind::Quantity),
    (code::QUOTAS, "X-Mms-Quotas", Kind::Octet),
    (code::MBOX_QUOTAS, "X-Mms-Mbox-Quotas", Kind::Quantity),
    (
        code::MESSAGE_COUNT,
        "X-Mms-Message-Count",
        Kind::IntegerValue,
    ),
    (code::CONTENT, "Content", Kind::Generic),
    (code::START, "X-Mms-Start", Kind::IntegerValue),
    (
        code::ADDITIONAL_HEADERS,
        "Additional-headers",
        Kind::Generic,
    ),
    (
        code::DISTRIBUTION_INDICATOR,
        "X-Mms-Distribution-Indicator",
        Kind::Octet,
    ),
    (
        code::ELEMENT_DESCRIPTOR,
        "X-Mms-Element-Descriptor",
        Kind::ElementDescriptor,
    ),
    (code::LIMIT, "X-Mms-Limit", Kind::IntegerValue),
    (
        code::RECOMMENDED_RETRIEVAL_MODE,
        "X-Mms-Recommended-Retrieval-Mode",
        Kind::Octet,
    ),
    (
        code::RECOMMENDED_RETRIEVAL_MODE_TEXT,
        "X-Mms-Recommended-Retrieval-Mode-Text",
        Kind::Encoded,
    ),
    (code::STATUS_TEXT, "X-Mms-Status-Text", Kind::Encoded),
    (code::APPLIC_ID, "X-Mms-Applic-ID", Kind::Text),
    (code::REPLY_APPLIC_ID, "X-Mms-Reply-Applic-ID", Kind::Text),
    (code::AUX_APPLIC_INFO, "X-Mms-Aux-Applic-Info", Kind::Text),
    (code::CONTENT_CLASS, "X-Mms-Content-Class", Kind::Octet),
    (code::DRM_CONTENT, "X-Mms-DRM-Content", Kind::Octet),
    (
        code::ADAPTATION_ALLOWED,
        "X-Mms-Adaptation-Allowed",
        Kind::Octet,
    ),
    (code::REPLACE_ID, "X-Mms-Replace-ID", Kind::Text),
    (code::CANCEL_ID, "X-Mms-Cancel-ID", Kind::Text),
    (code::CANCEL_STATUS, "X-Mms-Cancel-Status", Kind::Octet),
];

/// The kind of field `code`; unassigned codes are [`Kind::Generic`].
pub fn kind(code: u8) -> Kind {
    lookup(code).map_or(Kind::Generic, |(_, _, k)| *k)
}

/// The name of field `code`, if assigned.
pub fn name(code: u8) -> Option<&'static str> {
    lookup(code).map(|(_, n, _)| *n)
}

/// The code of the field named `name` (case-insensitive).
pub fn code_of(name: &str) -> Option<u8> {
    FIELDS
        .iter()
        .find(|(_, n, _)| n.eq_ignore_ascii_case(name))
        .map(|(c, _, _)| *c)
}

fn lookup(code: u8) -> Option<&'static (u8, &'static str, Kind)> {
    let i = usize::from(code).checked_sub(1)?;
    FIELDS.get(i).filter(|(c, _, _)| *c == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_dense_and_ordered() {
        for (i, (c, _, _)) in FIELDS.iter().enumerate() {
            assert_eq!(usize::from(*c), i + 1);
        }
        assert_eq!(kind(code::CANCEL_STATUS), Kind::Octet);
        assert_eq!(kind(0x40), Kind::Generic);
        assert_eq!(code_of("subject"), Some(code::SUBJECT));
    }
}
