//! Bytes of a CSV cell → text. Voter files come out of Excel on Windows as often as from modern tools, so the
//! default accepts UTF-8 and falls back to Windows-1252 per cell; `--encoding utf-8` refuses anything else.

/// How cell bytes are decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-8 where valid, else Windows-1252 (a superset of Latin-1's printable range).
    #[default]
    Auto,
    /// UTF-8 only; other bytes reject the row.
    Utf8,
    /// Every cell is Windows-1252 / Latin-1.
    Latin1,
}

impl std::str::FromStr for Encoding {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "auto" => Ok(Encoding::Auto),
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "latin1" | "latin-1" | "iso-8859-1" | "windows-1252" | "cp1252" => Ok(Encoding::Latin1),
            other => Err(format!(
                "unknown encoding {other:?}; use auto, utf-8 or latin1"
            )),
        }
    }
}

/// Windows-1252's printable characters at 0x80–0x9F, where Latin-1 has control codes; unassigned slots map to
/// U+FFFD.
const CP1252_HIGH: [char; 32] = [
    '€', '\u{FFFD}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{FFFD}', 'Ž',
    '\u{FFFD}', '\u{FFFD}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{FFFD}',
    'ž', 'Ÿ',
];

fn decode_cp1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

/// Decodes one cell, or says why it cannot be read.
pub fn decode_cell(bytes: &[u8], encoding: Encoding) -> Result<String, String> {
    if bytes.contains(&0) {
        return Err("bad encoding: NUL byte in the cell".to_owned());
    }
    match encoding {
        Encoding::Latin1 => Ok(decode_cp1252(bytes)),
        Encoding::Auto => Ok(match std::str::from_utf8(bytes) {
            Ok(s) => s.to_owned(),
            Err(_) => decode_cp1252(bytes),
        }),
        Encoding::Utf8 => std::str::from_utf8(bytes).map(str::to_owned).map_err(|e| {
            let at = e.valid_up_to();
            format!(
                "bad encoding: byte 0x{:02X} at offset {at} is not UTF-8",
                bytes[at]
            )
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_reads_utf8_and_falls_back_to_cp1252() {
        assert_eq!(
            decode_cell("José".as_bytes(), Encoding::Auto).as_deref(),
            Ok("José")
        );
        assert_eq!(
            decode_cell(b"Jos\xe9 \x93Pepe\x94", Encoding::Auto).as_deref(),
            Ok("José “Pepe”")
        );
    }

    #[test]
    fn strict_utf8_names_the_bad_byte() {
        assert_eq!(
            decode_cell(b"Jos\xe9", Encoding::Utf8),
            Err("bad encoding: byte 0xE9 at offset 3 is not UTF-8".to_owned())
        );
        assert!(decode_cell(b"a\0b", Encoding::Auto).is_err());
    }
}
