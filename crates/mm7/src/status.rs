//! Request status (TS 23.140 §8.7.4 "Status", Table 20 of the stage 3 codes): `StatusCode`, `StatusText` and
//! free-form `Details`.

use serde::{Deserialize, Serialize};

macro_rules! status_codes {
    ($($variant:ident = $code:literal, $text:literal;)*) => {
        /// An MM7 status code. 1xxx: success, 2xxx: client errors, 3xxx: server errors, 4xxx: service
        /// errors. Codes this crate does not know are kept in [`StatusCode::Unknown`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(into = "u16", from = "u16")]
        pub enum StatusCode {
            $(
                #[doc = concat!(stringify!($code), ": ", $text, ".")]
                $variant,
            )*
            /// Any other code, kept as sent.
            Unknown(u16),
        }

        impl StatusCode {
            /// The numeric code.
            pub fn code(self) -> u16 {
                match self {
                    $(StatusCode::$variant => $code,)*
                    StatusCode::Unknown(code) => code,
                }
            }

            /// The spec's short description, or `"Unknown status"`.
            pub fn description(self) -> &'static str {
                match self {
                    $(StatusCode::$variant => $text,)*
                    StatusCode::Unknown(_) => "Unknown status",
                }
            }
        }

        impl From<u16> for StatusCode {
            fn from(code: u16) -> StatusCode {
                match code {
                    $($code => StatusCode::$variant,)*
                    other => StatusCode::Unknown(other),
                }
            }
        }
    };
}

status_codes! {
    Success = 1000, "Success";
    PartialSuccess = 1100, "Partial success";
    ClientError = 2000, "Client error";
    OperationRestricted = 2001, "Operation restricted";
    AddressError = 2002, "Address Error";
    AddressNotFound = 2003, "Address Not Found";
    MultimediaContentRefused = 2004, "Multimedia content refused";
    MessageIdNotFound = 2005, "Message ID Not found";
    LinkedIdNotFound = 2006, "LinkedID not found";
    MessageFormatCorrupt = 2007, "Message format corrupt";
    ApplicationIdNotFound = 2008, "Application ID not found";
    ReplyApplicationIdNotFound = 2009, "Reply Application ID not found";
    ServerError = 3000, "Server Error";
    NotPossible = 3001, "Not Possible";
    MessageRejected = 3002, "Message rejected";
    MultipleAddressesNotSupported = 3003, "Multiple addresses not supported";
    ApplicationAddressingNotSupported = 3004, "Application Addressing not supported";
    GeneralServiceError = 4000, "General service error";
    ImproperIdentification = 4001, "Improper identification";
    UnsupportedVersion = 4002, "Unsupported version";
    UnsupportedOperation = 4003, "Unsupported Operation";
    ValidationError = 4004, "Validation error";
    ServiceError = 4005, "Service error";
    ServiceUnavailable = 4006, "Service unavailable";
    ServiceDenied = 4007, "Service denied";
    ApplicationDenied = 4008, "Application denied";
}

impl StatusCode {
    /// True for 1000 and 1100: the request was carried out (perhaps only for some recipients).
    pub fn is_success(self) -> bool {
        (1000..2000).contains(&self.code())
    }

    /// True when the same request may succeed if retried later: server trouble (3000 Server Error,
    /// 3001 Not Possible, and unknown 3xxx codes) or a service that is down or busy (4005 Service error,
    /// 4006 Service unavailable). Client errors (2xxx), rejections (3002, 3003, 3004) and the other
    /// service errors are permanent: retrying the same request cannot help.
    pub fn is_temporary(self) -> bool {
        match self {
            StatusCode::ServerError
            | StatusCode::NotPossible
            | StatusCode::ServiceError
            | StatusCode::ServiceUnavailable => true,
            StatusCode::Unknown(code) => (3000..4000).contains(&code),
            _ => false,
        }
    }
}

impl From<StatusCode> for u16 {
    fn from(code: StatusCode) -> u16 {
        code.code()
    }
}

/// The `Status` element of every response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    /// `StatusCode`.
    pub code: StatusCode,
    /// `StatusText` (empty when the peer sent none).
    #[serde(default)]
    pub text: String,
    /// `Details`: free-form; this crate keeps its text content.
    pub details: Option<String>,
}

impl Status {
    /// A status with the spec's description as its text.
    pub fn new(code: StatusCode) -> Status {
        Status {
            code,
            text: code.description().to_string(),
            details: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_and_unknown_codes_round_trip() {
        for code in [1000, 1100, 2007, 3001, 4006, 4008, 1234, 3999, 5000] {
            assert_eq!(StatusCode::from(code).code(), code);
        }
        assert_eq!(StatusCode::from(1000), StatusCode::Success);
        assert_eq!(StatusCode::from(4321), StatusCode::Unknown(4321));
    }

    #[test]
    fn classifies_temporary_failures() {
        assert!(StatusCode::ServerError.is_temporary());
        assert!(StatusCode::ServiceUnavailable.is_temporary());
        assert!(StatusCode::Unknown(3500).is_temporary());
        assert!(!StatusCode::Success.is_temporary());
        assert!(!StatusCode::AddressNotFound.is_temporary());
        assert!(!StatusCode::MessageRejected.is_temporary());
        assert!(!StatusCode::Unknown(2500).is_temporary());
        assert!(StatusCode::PartialSuccess.is_success());
    }
}
