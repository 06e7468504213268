//! Character sets named by IANA MIBenum numbers (WAP-230 8.4.2.8, Table 42 refers to the IANA registry).
//! UTF-8, US-ASCII, ISO-8859-1 and the UCS-2/UTF-16 family are converted here; the legacy sets that handsets
//! in Asia and Europe still send (Shift_JIS, EUC-KR, Big5, GBK, KOI8-R, ISO-8859-x, windows-125x, …) go
//! through `encoding_rs`.

use crate::error::{Error, ErrorKind, Result};

/// US-ASCII.
pub const US_ASCII: u32 = 3;
/// ISO-8859-1 (Latin-1).
pub const ISO_8859_1: u32 = 4;
/// UTF-8.
pub const UTF_8: u32 = 106;
/// ISO-10646-UCS-2 (big-endian, no BOM).
pub const UCS_2: u32 = 1000;
/// UTF-16BE.
pub const UTF_16BE: u32 = 1013;
/// UTF-16LE.
pub const UTF_16LE: u32 = 1014;
/// UTF-16 (big-endian unless a BOM says otherwise).
pub const UTF_16: u32 = 1015;
/// "Any-charset" (0x80 on the wire, short-integer 0).
pub const ANY: u32 = 0;

/// The IANA name of a supported charset, for display.
pub fn name(mib: u32) -> Option<&'static str> {
    Some(match mib {
        US_ASCII => "us-ascii",
        ISO_8859_1 => "iso-8859-1",
        UTF_8 => "utf-8",
        UCS_2 => "iso-10646-ucs-2",
        UTF_16BE => "utf-16be",
        UTF_16LE => "utf-16le",
        UTF_16 => "utf-16",
        ANY => "*",
        other => return legacy_label(other),
    })
}

/// IANA MIBenum → label of the legacy charsets that `encoding_rs` converts.
fn legacy_label(mib: u32) -> Option<&'static str> {
    Some(match mib {
        5 => "iso-8859-2",
        6 => "iso-8859-3",
        7 => "iso-8859-4",
        8 => "iso-8859-5",
        9 => "iso-8859-6",
        10 => "iso-8859-7",
        11 => "iso-8859-8",
        12 => "iso-8859-9",
        13 => "iso-8859-10",
        17 => "shift_jis",
        18 => "euc-jp",
        38 => "euc-kr",
        39 => "iso-2022-jp",
        109 => "iso-8859-13",
        110 => "iso-8859-14",
        111 => "iso-8859-15",
        112 => "iso-8859-16",
        113 => "gbk",
        114 => "gb18030",
        2025 => "gb2312",
        2026 => "big5",
        2027 => "macintosh",
        2084 => "koi8-r",
        2086 => "ibm866",
        2088 => "koi8-u",
        2250 => "windows-1250",
        2251 => "windows-1251",
        2252 => "windows-1252",
        2253 => "windows-1253",
        2254 => "windows-1254",
        2255 => "windows-1255",
        2256 => "windows-1256",
        2257 => "windows-1257",
        2258 => "windows-1258",
        _ => return None,
    })
}

fn legacy(mib: u32) -> Option<&'static encoding_rs::Encoding> {
    legacy_label(mib).and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()))
}

/// True for the charsets whose characters are two octets wide, so that a NUL octet is not a terminator.
pub fn is_wide(mib: u32) -> bool {
    matches!(mib, UCS_2 | UTF_16BE | UTF_16LE | UTF_16)
}

/// Converts `bytes` in charset `mib` to text. `offset` locates `bytes` in the input for errors.
pub fn decode(mib: u32, bytes: &[u8], offset: usize) -> Result<String> {
    let bad = || Error::new(ErrorKind::BadCharset, offset);
    match mib {
        UTF_8 | ANY => String::from_utf8(bytes.to_vec()).map_err(|_| bad()),
        US_ASCII => {
            if bytes.is_ascii() {
                Ok(bytes.iter().map(|b| char::from(*b)).collect())
            } else {
                Err(bad())
            }
        }
        ISO_8859_1 => Ok(bytes.iter().map(|b| char::from(*b)).collect()),
        UCS_2 | UTF_16BE | UTF_16LE | UTF_16 => {
            if !bytes.len().is_multiple_of(2) {
                return Err(bad());
            }
            let (little, body) = match (mib, bytes) {
                (UTF_16LE, _) => (true, bytes),
                (UTF_16 | UCS_2, [0xFF, 0xFE, rest @ ..]) => (true, rest),
                (UTF_16 | UCS_2, [0xFE, 0xFF, rest @ ..]) => (false, rest),
                _ => (false, bytes),
            };
            let units = body.chunks_exact(2).map(|c| {
                if little {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            });
            char::decode_utf16(units)
                .collect::<std::result::Result<String, _>>()
                .map_err(|_| bad())
        }
        other => match legacy(other) {
            Some(encoding) => encoding
                .decode_without_bom_handling_and_without_replacement(bytes)
                .map(|text| text.into_owned())
                .ok_or_else(bad),
            None => Err(Error::new(ErrorKind::UnsupportedCharset(other), offset)),
        },
    }
}

/// Converts text to charset `mib`; fails when a character has no representation there.
pub fn encode(mib: u32, text: &str) -> Result<Vec<u8>> {
    match mib {
        UTF_8 | ANY => Ok(text.as_bytes().to_vec()),
        US_ASCII if text.is_ascii() => Ok(text.as_bytes().to_vec()),
        US_ASCII => Err(Error::unencodable("non-ASCII text in a US-ASCII string")),
        ISO_8859_1 => text
            .chars()
            .map(|c| {
                u8::try_from(u32::from(c))
                    .map_err(|_| Error::unencodable("character outside ISO-8859-1"))
            })
            .collect(),
        UCS_2 | UTF_16BE | UTF_16 => Ok(text.encode_utf16().flat_map(u16::to_be_bytes).collect()),
        UTF_16LE => Ok(text.encode_utf16().flat_map(u16::to_le_bytes).collect()),
        other => match legacy(other) {
            Some(encoding) => {
                let (bytes, _, unmappable) = encoding.encode(text);
                if unmappable {
                    Err(Error::unencodable("character outside the declared charset"))
                } else {
                    Ok(bytes.into_owned())
                }
            }
            None => Err(Error::new(ErrorKind::UnsupportedCharset(other), 0)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ucs2_and_bom() {
        assert_eq!(decode(UCS_2, &[0x00, 0x48, 0x00, 0xE9], 0).unwrap(), "Hé");
        assert_eq!(decode(UTF_16, &[0xFF, 0xFE, 0x48, 0x00], 0).unwrap(), "H");
        assert_eq!(
            decode(UTF_16, &[0x00], 7).unwrap_err(),
            Error::new(ErrorKind::BadCharset, 7)
        );
    }

    #[test]
    fn legacy_charsets() {
        // "日本" in Shift_JIS, "한" in EUC-KR, "中" in Big5, "Ж" in KOI8-R.
        assert_eq!(decode(17, &[0x93, 0xFA, 0x96, 0x7B], 0).unwrap(), "日本");
        assert_eq!(decode(38, &[0xC7, 0xD1], 0).unwrap(), "한");
        assert_eq!(decode(2026, &[0xA4, 0xA4], 0).unwrap(), "中");
        assert_eq!(decode(2084, &[0xF6], 0).unwrap(), "Ж");
        assert_eq!(encode(17, "日本").unwrap(), [0x93, 0xFA, 0x96, 0x7B]);
        assert!(encode(2084, "日").is_err());
        assert_eq!(
            decode(17, &[0x93], 3).unwrap_err(),
            Error::new(ErrorKind::BadCharset, 3)
        );
        assert_eq!(name(2026), Some("big5"));
    }

    #[test]
    fn rejects_what_does_not_fit() {
        assert_eq!(
            decode(UTF_8, &[0xC3], 2).unwrap_err().kind,
            ErrorKind::BadCharset
        );
        assert_eq!(
            decode(US_ASCII, &[0xE9], 2).unwrap_err().kind,
            ErrorKind::BadCharset
        );
        assert_eq!(
            decode(9999, b"x", 5).unwrap_err(),
            Error::new(ErrorKind::UnsupportedCharset(9999), 5)
        );
        assert!(encode(ISO_8859_1, "€").is_err());
        assert_eq!(encode(ISO_8859_1, "é").unwrap(), [0xE9]);
    }
}
