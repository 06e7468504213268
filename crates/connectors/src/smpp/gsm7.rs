//! Decoding GSM 03.38 septets (one per octet, as SMPP carries them unpacked). Encoding is rusmpp-extra's;
//! it has no decoder, so the tables for MO messages live here.

/// The basic table, indexed by septet.
const BASIC: [char; 128] = [
    '@', '£', '$', '¥', 'è', 'é', 'ù', 'ì', 'ò', 'Ç', '\n', 'Ø', 'ø', '\r', 'Å', 'å', //
    'Δ', '_', 'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', 'Σ', 'Θ', 'Ξ', '\u{1b}', 'Æ', 'æ', 'ß', 'É', //
    ' ', '!', '"', '#', '¤', '%', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/', //
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', ';', '<', '=', '>', '?', //
    '¡', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', //
    'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'Ä', 'Ö', 'Ñ', 'Ü', '§', //
    '¿', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', //
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'ä', 'ö', 'ñ', 'ü', 'à', //
];

const ESCAPE: u8 = 0x1B;

/// The extension table: septet after an escape, and its character.
const EXTENSION: [(u8, char); 10] = [
    (0x0A, '\u{c}'),
    (0x14, '^'),
    (0x28, '{'),
    (0x29, '}'),
    (0x2F, '\\'),
    (0x3C, '['),
    (0x3D, '~'),
    (0x3E, ']'),
    (0x40, '|'),
    (0x65, '€'),
];

/// Decodes unpacked septets; unknown escapes read as a space, as 03.38 asks, and octets above 0x7F (not
/// septets) as U+FFFD.
pub fn decode(septets: &[u8]) -> String {
    let mut text = String::with_capacity(septets.len());
    let mut bytes = septets.iter().copied();
    while let Some(byte) = bytes.next() {
        if byte == ESCAPE {
            let Some(next) = bytes.next() else { break };
            let extended = EXTENSION.iter().find(|(code, _)| *code == next);
            text.push(extended.map_or(' ', |(_, ch)| *ch));
            continue;
        }
        text.push(BASIC.get(usize::from(byte)).copied().unwrap_or('\u{fffd}'));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_basic_and_extension_tables() {
        assert_eq!(decode(&[0x48, 0x69, 0x1B, 0x65, 0x00, 0x1B, 0x3C]), "Hi€@[");
        assert_eq!(decode(&[0x1B]), "");
        assert_eq!(decode(&[0xFF]), "\u{fffd}");
    }
}
