//! WSP (WAP-230-WSP) encoding primitives, headers, content types and multipart bodies, and WAP Push over SMS.
//!
//! Decoders work on a [`Reader`]: every read is bounds-checked, lengths are checked against the input before
//! use, and no allocation is sized from a length field, so hostile input yields an [`Error`] with a byte offset.
//! Encoders are `put_*` functions that append to a `Vec<u8>`.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod charset;
mod content_type;
mod encoded_string;
mod error;
pub mod header;
mod integer;
mod multipart;
mod parameter;
pub mod push;
mod reader;
pub mod sms;
mod text;
pub mod well_known;

pub use content_type::{ContentType, Media, put_content_type};
pub use encoded_string::{EncodedString, put_encoded_string};
pub use error::{Error, ErrorKind, Result};
pub use header::{Header, HeaderName, HeaderValue, put_header};
pub use integer::{
    put_integer_value, put_length_prefixed, put_long_integer, put_short_integer, put_uintvar,
    put_value_length,
};
pub use multipart::{Part, put_multipart};
pub use parameter::{ParamName, ParamValue, Parameter, put_parameter};
pub use push::PushPdu;
pub use reader::Reader;
pub use text::{QUOTE, lenient_text, put_text_bytes, put_text_string, put_text_value};
