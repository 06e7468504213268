//! Text to submit_sm segments: GSM-7 when every character is in the alphabet (extension characters cost two
//! septets), UCS-2 otherwise, split by UDH or SAR so that the handset can put the parts back together.

use rusmpp::extra::encoding::{gsm7bit::Gsm7BitUnpacked, ucs2::Ucs2};

use super::config::Concatenation;

/// data_coding of GSM-7 in the SMSC's default alphabet.
pub const DCS_GSM7: u8 = 0x00;
/// data_coding of 8-bit binary data.
pub const DCS_BINARY: u8 = 0x04;
/// data_coding of UCS-2.
pub const DCS_UCS2: u8 = 0x08;

/// Septets in one unsegmented GSM-7 message.
const GSM7_SINGLE: usize = 160;
/// Septets per part once the 6-octet concatenation header takes its 7 septets.
const GSM7_PART: usize = 153;
/// Octets in one unsegmented UCS-2 message.
const UCS2_SINGLE: usize = 140;
/// UCS-2 octets per part after the 6-octet header.
const UCS2_PART: usize = 134;
/// The most parts a concatenated message can have (the total is one octet).
const MAX_PARTS: usize = 255;

/// SAR TLV values of one segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sar {
    /// sar_msg_ref_num: the same in every part.
    pub reference: u16,
    /// sar_total_segments.
    pub total: u8,
    /// sar_segment_seqnum, from 1.
    pub seq: u8,
}

/// One submit_sm's worth of user data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// data_coding.
    pub data_coding: u8,
    /// Whether short_message starts with a user data header (esm_class UDHI).
    pub udhi: bool,
    /// short_message, header included.
    pub short_message: Vec<u8>,
    /// SAR TLVs, when split that way.
    pub sar: Option<Sar>,
}

/// Why a text cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SegmentError {
    /// More than 255 parts.
    #[error("the text needs {0} parts, more than 255")]
    TooLong(usize),
}

/// The alphabet chosen for a text, with its encoded user data.
fn encode(text: &str) -> (u8, Vec<u8>, usize) {
    if let Ok(septets) = Gsm7BitUnpacked::new().encode_to_vec(text) {
        return (DCS_GSM7, septets, 1);
    }
    // rusmpp's UCS-2 refuses characters outside the BMP; handsets read UTF-16 surrogate pairs, so send those.
    let octets = Ucs2::new().encode_to_vec(text).unwrap_or_else(|_| {
        text.encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect::<Vec<u8>>()
    });
    (DCS_UCS2, octets, 2)
}

/// Splits `units` (of `unit` octets) into chunks of at most `size` octets, never between an escape and its
/// character (GSM-7) or inside a surrogate pair (UTF-16).
fn split(data: &[u8], size: usize, unit: usize) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut start = 0;
    while start < data.len() {
        let mut end = (start + size).min(data.len());
        if end < data.len() {
            let splits_pair = if unit == 1 {
                data[end - 1] == 0x1B
            } else {
                end >= 2 && (0xD8..=0xDB).contains(&data[end - 2])
            };
            if splits_pair && end - unit > start {
                end -= unit;
            }
        }
        parts.push(&data[start..end]);
        start = end;
    }
    parts
}

/// Encodes and splits a text; `reference` identifies the parts of this message (its low octet for UDH).
pub fn text_segments(
    text: &str,
    concatenation: Concatenation,
    reference: u16,
) -> Result<Vec<Segment>, SegmentError> {
    let (data_coding, data, unit) = encode(text);
    let (single, part) = if unit == 1 {
        (GSM7_SINGLE, GSM7_PART)
    } else {
        (UCS2_SINGLE, UCS2_PART)
    };
    if data.len() <= single {
        return Ok(vec![Segment {
            data_coding,
            udhi: false,
            short_message: data,
            sar: None,
        }]);
    }
    let parts = split(&data, part, unit);
    let total = u8::try_from(parts.len())
        .ok()
        .filter(|_| parts.len() <= MAX_PARTS)
        .ok_or(SegmentError::TooLong(parts.len()))?;
    Ok(parts
        .into_iter()
        .zip(1u8..)
        .map(|(chunk, seq)| match concatenation {
            Concatenation::Udh => {
                let [_, low] = reference.to_be_bytes();
                let mut short_message = vec![0x05, 0x00, 0x03, low, total, seq];
                short_message.extend_from_slice(chunk);
                Segment {
                    data_coding,
                    udhi: true,
                    short_message,
                    sar: None,
                }
            }
            Concatenation::Sar => Segment {
                data_coding,
                udhi: false,
                short_message: chunk.to_vec(),
                sar: Some(Sar {
                    reference,
                    total,
                    seq,
                }),
            },
        })
        .collect())
}

/// Binary user data that already carries its header (WAP Push segments).
pub fn binary_segments(user_data: Vec<Vec<u8>>) -> Vec<Segment> {
    user_data
        .into_iter()
        .map(|short_message| Segment {
            data_coding: DCS_BINARY,
            udhi: true,
            short_message,
            sar: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_gsm_text_is_one_segment() {
        let segments = text_segments("Hello €", Concatenation::Udh, 7).expect("fits");
        assert_eq!(segments.len(), 1);
        assert_eq!(segments[0].data_coding, DCS_GSM7);
        assert_eq!(segments[0].short_message.len(), 8);
    }

    #[test]
    fn extension_characters_push_a_text_into_two_parts() {
        // 155 plain septets fit one message; 5 euros more cost 10 septets and overflow 160.
        let plain = "a".repeat(155);
        assert_eq!(
            text_segments(&plain, Concatenation::Udh, 1).unwrap().len(),
            1
        );
        let euros = format!("{}{}", "a".repeat(151), "€€€€€");
        let segments = text_segments(&euros, Concatenation::Udh, 1).unwrap();
        assert_eq!(segments.len(), 2);
        assert_eq!(&segments[0].short_message[..6], &[5, 0, 3, 1, 2, 1]);
        assert!(segments.iter().all(|s| s.short_message.len() <= 6 + 153));
    }

    #[test]
    fn an_escape_is_never_split_from_its_character() {
        let text = format!("{}€", "a".repeat(152)) + &"b".repeat(20);
        let segments = text_segments(&text, Concatenation::Sar, 9).unwrap();
        assert_eq!(segments[0].short_message.len(), 152);
        assert_eq!(segments[1].short_message[..2], [0x1B, 0x65]);
        assert_eq!(
            segments[1].sar,
            Some(Sar {
                reference: 9,
                total: 2,
                seq: 2
            })
        );
    }

    #[test]
    fn non_gsm_text_goes_ucs2_and_keeps_surrogates_whole() {
        let segments = text_segments("Привет", Concatenation::Udh, 1).unwrap();
        assert_eq!(segments[0].data_coding, DCS_UCS2);
        assert_eq!(segments[0].short_message.len(), 12);
        let emoji = format!("{}😀жжж", "ж".repeat(66));
        let segments = text_segments(&emoji, Concatenation::Udh, 1).unwrap();
        assert_eq!(segments.len(), 2);
        assert_eq!(segments[0].short_message.len(), 6 + 132);
    }
}
