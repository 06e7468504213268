//! OMA MMS encapsulation (OMA-MMS-ENC 1.0–1.3): decode and encode every PDU (message types 0x80–0x97) with
//! all header fields, multipart bodies, a SMIL generator, WAP Push delivery of notifications over SMS, and a
//! JSON description of a decoded PDU.
//!
//! ```
//! use canvass_mms::{MessageType, Pdu, Value, decode, encode, field::code};
//! let pdu = Pdu::new(MessageType::NotifyRespInd, Some("tid-1"), (1, 3))
//!     .with(code::STATUS, Value::Octet(0x81));
//! let bytes = encode(&pdu).unwrap();
//! assert_eq!(decode(&bytes).unwrap(), pdu);
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod address;
pub mod body;
mod codec;
pub mod compose;
pub mod describe;
mod error;
pub mod field;
mod message_type;
mod pdu;
pub mod smil;
mod value;
pub mod wap_push;

pub use canvass_wsp as wsp;
pub use canvass_wsp::{ContentType, EncodedString, Parameter, Part};
pub use codec::{decode, encode};
pub use describe::{describe, describe_json};
pub use error::{Error, ErrorKind, Result};
pub use message_type::{ALL as MESSAGE_TYPES, MessageType};
pub use pdu::{Body, Content, Field, Header, Pdu, version_octet};
pub use value::{TOKEN_ABSOLUTE, TOKEN_RELATIVE, Time, Value};
