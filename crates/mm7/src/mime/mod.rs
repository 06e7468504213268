//! MIME for MM7 (TS 23.140 §8.7.2 and RFC 2387): the SOAP part first, as the `start` of a
//! multipart/related, and the content after it, referenced by `cid:`.
//!
//! Written by hand rather than with mail-builder: mail-builder draws boundaries from the clock (so output
//! is not reproducible and golden files are impossible) and writes the top-level headers into the body,
//! while MM7 over HTTP needs them apart, as the HTTP Content-Type. Reading uses mail-parser.

pub(crate) mod read;
pub(crate) mod write;
