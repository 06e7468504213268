//! What a text costs to send: its SMS encoding and how many segments (billed parts) it takes, and a byte estimate
//! for an MMS (3GPP TS 23.038 for the GSM 7-bit alphabet, TS 23.040 for concatenation).
//!
//! A text that uses only the GSM 7-bit alphabet goes as GSM-7: 160 septets in one SMS, 153 per part when it must be
//! split (the user data header takes the rest). A single character outside that alphabet, an emoji or a curly
//! quote, turns the whole message into UCS-2: 70 UTF-16 units, 67 per part. Campaign staff see this in the preview
//! because it can double or triple what a send costs.

use serde::Serialize;

/// The GSM 03.38 basic table in code order; position 0x1B is the escape to the extension table, not a character.
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u{1B}ÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/// Characters of the extension table: each costs two septets (the escape and the character).
const GSM_EXTENSION: &str = "\u{0C}^{}\\[~]|€";

/// Septets in one unsplit GSM-7 message, and per part of a split one.
const GSM_SINGLE: usize = 160;
const GSM_PART: usize = 153;
/// UTF-16 units in one unsplit UCS-2 message, and per part of a split one.
const UCS2_SINGLE: usize = 70;
const UCS2_PART: usize = 67;

/// How the text is encoded on the air.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// The GSM 7-bit default alphabet with its extension table.
    Gsm7,
    /// UTF-16 (UCS-2 on the wire, with surrogate pairs for characters beyond the BMP).
    Ucs2,
}

/// The encoding and cost of one text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SmsCost {
    /// The encoding the text needs.
    pub encoding: Encoding,
    /// Septets (GSM-7) or UTF-16 code units (UCS-2).
    pub units: usize,
    /// SMS parts; an empty text still takes one.
    pub segments: usize,
}

/// Septets a character takes in GSM-7: 1 for the basic table, 2 for the extension table, `None` if neither.
fn gsm_septets(c: char) -> Option<usize> {
    if c == '\u{1B}' {
        None
    } else if GSM_BASIC.contains(c) {
        Some(1)
    } else if GSM_EXTENSION.contains(c) {
        Some(2)
    } else {
        None
    }
}

/// The encoding, units and segments `text` needs as an SMS.
pub fn sms_cost(text: &str) -> SmsCost {
    let septets: Option<Vec<usize>> = text.chars().map(gsm_septets).collect();
    match septets {
        Some(widths) => SmsCost {
            encoding: Encoding::Gsm7,
            units: widths.iter().sum(),
            segments: segments(&widths, GSM_SINGLE, GSM_PART),
        },
        None => {
            let widths: Vec<usize> = text.chars().map(char::len_utf16).collect();
            SmsCost {
                encoding: Encoding::Ucs2,
                units: widths.iter().sum(),
                segments: segments(&widths, UCS2_SINGLE, UCS2_PART),
            }
        }
    }
}

/// Parts needed for characters of the given widths. A character is never split across parts: an escape and its
/// extension character travel together, as do the two halves of a surrogate pair, so a part may run one unit short.
fn segments(widths: &[usize], single: usize, part: usize) -> usize {
    if widths.iter().sum::<usize>() <= single {
        return 1;
    }
    let (mut parts, mut used) = (1, 0);
    for &w in widths {
        if used + w > part {
            parts += 1;
            used = 0;
        }
        used += w;
    }
    parts
}

/// Bytes an M-Send.req adds before any part: the MMS PDU headers (type, transaction id, version, from, to, subject,
/// content type). Measured encodings of ours run 120–250 bytes; this errs high so an estimate is not optimistic.
pub const MMS_HEADER_BYTES: usize = 300;

/// Bytes each multipart entry adds around its body: header and data lengths, content type and content location.
pub const MMS_PART_HEADER_BYTES: usize = 60;

/// An estimate of an MMS's size on the wire: the parts' body sizes plus the header overheads above. Carriers refuse
/// messages over their limit (commonly 600 KiB to 1 MiB), so compare this against the route's limit before sending.
pub fn mms_bytes(part_sizes: &[usize]) -> usize {
    part_sizes.iter().fold(MMS_HEADER_BYTES, |total, size| {
        total.saturating_add(size.saturating_add(MMS_PART_HEADER_BYTES))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_basic_table_has_128_codes() {
        assert_eq!(GSM_BASIC.chars().count(), 128);
    }

    #[test]
    fn limits_of_one_and_two_parts() {
        let one = "a".repeat(160);
        assert_eq!(
            sms_cost(&one),
            SmsCost {
                encoding: Encoding::Gsm7,
                units: 160,
                segments: 1
            }
        );
        assert_eq!(sms_cost(&"a".repeat(161)).segments, 2);
        assert_eq!(sms_cost(&"a".repeat(306)).segments, 2);
        assert_eq!(sms_cost(&"a".repeat(307)).segments, 3);
        assert_eq!(sms_cost("").segments, 1);
    }

    #[test]
    fn extension_characters_cost_two_septets_and_stay_whole() {
        let cost = sms_cost("€10 [off]");
        assert_eq!((cost.encoding, cost.units), (Encoding::Gsm7, 12));
        assert_eq!(sms_cost(&"{".repeat(80)).segments, 1);
        // 152 septets then a two-septet character: it moves to the second part rather than being cut.
        // Counted by units alone, 306 septets would fit two parts.
        let text = format!("{}€{}", "a".repeat(152), "a".repeat(152));
        let cost = sms_cost(&text);
        assert_eq!((cost.units, cost.segments), (306, 3));
    }

    #[test]
    fn one_emoji_or_curly_quote_makes_the_whole_text_ucs2() {
        let cost = sms_cost("Vote Tuesday \u{2019}");
        assert_eq!(
            (cost.encoding, cost.units, cost.segments),
            (Encoding::Ucs2, 14, 1)
        );
        assert_eq!(sms_cost(&"é".repeat(160)).encoding, Encoding::Gsm7);
        assert_eq!(sms_cost(&"ç".repeat(70)).encoding, Encoding::Ucs2);
        assert_eq!(sms_cost(&"ç".repeat(70)).segments, 1);
        assert_eq!(sms_cost(&"ç".repeat(71)).segments, 2);
        let emoji = sms_cost("🗳");
        assert_eq!((emoji.encoding, emoji.units), (Encoding::Ucs2, 2));
    }

    #[test]
    fn surrogate_pairs_are_not_split() {
        // 66 units then a pair: 68 > 67, so the pair opens the second part. Counted by units alone, 134 would
        // fit two parts.
        let text = format!("{}🗳{}", "ж".repeat(66), "ж".repeat(66));
        let cost = sms_cost(&text);
        assert_eq!((cost.units, cost.segments), (134, 3));
    }

    #[test]
    fn mms_estimate_adds_header_overheads() {
        assert_eq!(mms_bytes(&[]), MMS_HEADER_BYTES);
        assert_eq!(
            mms_bytes(&[1000, 20]),
            MMS_HEADER_BYTES + 1020 + 2 * MMS_PART_HEADER_BYTES
        );
        assert_eq!(mms_bytes(&[usize::MAX]), usize::MAX);
    }

    fn gsm_char() -> impl Strategy<Value = char> {
        prop::sample::select(
            GSM_BASIC
                .chars()
                .filter(|&c| c != '\u{1B}')
                .chain(GSM_EXTENSION.chars())
                .collect::<Vec<_>>(),
        )
    }

    proptest! {
        #[test]
        fn segments_never_fall_as_text_grows(s in "\\PC{0,400}", extra in "\\PC{1,20}") {
            let longer = format!("{s}{extra}");
            prop_assert!(sms_cost(&longer).segments >= sms_cost(&s).segments);
        }

        #[test]
        fn gsm_segments_never_fall_as_text_grows(s in prop::collection::vec(gsm_char(), 0..500), c in gsm_char()) {
            let short: String = s.iter().collect();
            let long = format!("{short}{c}");
            prop_assert_eq!(sms_cost(&short).encoding, Encoding::Gsm7);
            prop_assert!(sms_cost(&long).segments >= sms_cost(&short).segments);
        }

        #[test]
        fn pure_basic_gsm_160_is_one_part_and_161_two(s in prop::collection::vec(gsm_char().prop_filter("basic", |c| gsm_septets(*c) == Some(1)), 161)) {
            let full: String = s[..160].iter().collect();
            let over: String = s.iter().collect();
            prop_assert_eq!(sms_cost(&full).segments, 1);
            prop_assert_eq!(sms_cost(&over).segments, 2);
        }
    }
}
