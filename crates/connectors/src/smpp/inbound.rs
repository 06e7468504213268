//! Mobile-originated messages: user data decoded to UTF-8 (GSM-7, ASCII, Latin-1, UCS-2) and concatenated
//! parts, by UDH or SAR, put back together before they are reported.

use std::collections::{HashMap, VecDeque};

use super::gsm7;

/// Parts of unfinished messages kept at most; the oldest message is dropped first.
const MAX_GROUPS: usize = 256;

/// One deliver_sm's user data, as read off the wire.
#[derive(Debug, Clone, Default)]
pub struct MoPart {
    /// The handset.
    pub from: String,
    /// Our number.
    pub to: String,
    /// data_coding.
    pub data_coding: u8,
    /// Whether the user data starts with a header.
    pub udhi: bool,
    /// short_message, or message_payload when short_message was empty.
    pub user_data: Vec<u8>,
    /// SAR TLVs: reference, total, sequence.
    pub sar: Option<(u16, u8, u8)>,
}

/// A complete MO text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoText {
    /// The handset.
    pub from: String,
    /// Our number.
    pub to: String,
    /// The text, or `None` for binary data.
    pub text: Option<String>,
}

enum Alphabet {
    Gsm7,
    Latin1,
    Utf16,
    Binary,
}

fn alphabet(data_coding: u8) -> Alphabet {
    match data_coding {
        0x00 => Alphabet::Gsm7,
        0x01 | 0x03 => Alphabet::Latin1,
        0x08 => Alphabet::Utf16,
        0x02 | 0x04 => Alphabet::Binary,
        0xF0..=0xFF if data_coding & 0x04 != 0 => Alphabet::Binary,
        0xF0..=0xFF => Alphabet::Gsm7,
        dcs if dcs & 0xC0 == 0 => match dcs & 0x0C {
            0x00 => Alphabet::Gsm7,
            0x04 => Alphabet::Binary,
            0x08 => Alphabet::Utf16,
            _ => Alphabet::Latin1,
        },
        _ => Alphabet::Latin1,
    }
}

/// Decodes user data (without its header) to UTF-8; `None` for binary data.
pub fn decode(data_coding: u8, data: &[u8]) -> Option<String> {
    match alphabet(data_coding) {
        Alphabet::Gsm7 => Some(gsm7::decode(data)),
        Alphabet::Latin1 => Some(data.iter().map(|b| char::from(*b)).collect()),
        Alphabet::Utf16 => {
            let units: Vec<u16> = data
                .chunks_exact(2)
                .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
                .collect();
            Some(String::from_utf16_lossy(&units))
        }
        Alphabet::Binary => None,
    }
}

/// Splits a user data header off: the concatenation info (reference, total, sequence) and the rest.
/// A header whose length runs past the data is treated as absent.
pub fn split_udh(user_data: &[u8]) -> (Option<(u16, u8, u8)>, &[u8]) {
    let Some((&length, rest)) = user_data.split_first() else {
        return (None, user_data);
    };
    let length = usize::from(length);
    if length > rest.len() {
        return (None, user_data);
    }
    let (mut header, body) = rest.split_at(length);
    let mut concat = None;
    while let [iei, len, tail @ ..] = header {
        let len = usize::from(*len);
        if len > tail.len() {
            break;
        }
        let (data, next) = tail.split_at(len);
        match (iei, data) {
            (0x00, [reference, total, seq]) => {
                concat = Some((u16::from(*reference), *total, *seq));
            }
            (0x08, [high, low, total, seq]) => {
                concat = Some((u16::from_be_bytes([*high, *low]), *total, *seq));
            }
            _ => {}
        }
        header = next;
    }
    (concat, body)
}

type GroupKey = (String, String, u16, u8);

/// Bytes of unfinished MO messages held at once: a broken or hostile SMSC that sends first parts without the rest
/// (each up to 64 KiB in message_payload) must not grow the connector without bound. The oldest go first.
const MAX_HELD_BYTES: usize = 4 * 1024 * 1024;

#[derive(Default)]
struct Group {
    data_coding: u8,
    parts: HashMap<u8, Vec<u8>>,
}

impl Group {
    fn bytes(&self) -> usize {
        self.parts.values().map(Vec::len).sum()
    }
}

/// Parts of concatenated MO messages awaiting their siblings.
#[derive(Default)]
pub struct Reassembly {
    groups: HashMap<GroupKey, Group>,
    order: VecDeque<GroupKey>,
    held: usize,
}

impl Reassembly {
    /// Takes one part; returns the message once it is complete (at once for an unsegmented one).
    pub fn push(&mut self, part: MoPart) -> Option<MoText> {
        let (udh_concat, body) = if part.udhi {
            split_udh(&part.user_data)
        } else {
            (None, part.user_data.as_slice())
        };
        let concat = udh_concat
            .or(part.sar)
            .filter(|(_, total, seq)| *total > 1 && *seq >= 1 && seq <= total);
        let Some((reference, total, seq)) = concat else {
            return Some(MoText {
                text: decode(part.data_coding, body),
                from: part.from,
                to: part.to,
            });
        };
        let key = (part.from.clone(), part.to.clone(), reference, total);
        if !self.groups.contains_key(&key) {
            if self.order.len() >= MAX_GROUPS {
                self.evict_oldest();
            }
            self.order.push_back(key.clone());
        }
        while self.held + body.len() > MAX_HELD_BYTES
            && self.order.front().is_some_and(|k| *k != key)
        {
            self.evict_oldest();
        }
        let group = self.groups.entry(key.clone()).or_default();
        group.data_coding = part.data_coding;
        let replaced = group
            .parts
            .insert(seq, body.to_vec())
            .map_or(0, |old| old.len());
        self.held = self.held + body.len() - replaced;
        if group.parts.len() < usize::from(total) {
            return None;
        }
        let group = self.groups.remove(&key)?;
        self.held -= group.bytes();
        self.order.retain(|k| *k != key);
        let mut data = Vec::new();
        for seq in 1..=total {
            data.extend_from_slice(group.parts.get(&seq)?);
        }
        Some(MoText {
            text: decode(group.data_coding, &data),
            from: part.from,
            to: part.to,
        })
    }
}

impl Reassembly {
    fn evict_oldest(&mut self) {
        if let Some(oldest) = self.order.pop_front()
            && let Some(group) = self.groups.remove(&oldest)
        {
            self.held -= group.bytes();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unfinished_messages_are_bounded_in_bytes() {
        let mut reassembly = Reassembly::default();
        // First parts of 100 messages of 64 KiB each, never completed: 6.4 MB offered, at most 4 MiB held.
        for reference in 0..100u16 {
            let first = part(false, vec![0x41; 64 * 1024], Some((reference, 2, 1)));
            assert_eq!(reassembly.push(first), None);
            assert!(
                reassembly.held <= MAX_HELD_BYTES,
                "{} bytes held",
                reassembly.held
            );
        }
        // The newest message can still be completed; the oldest was dropped to make room.
        let last = reassembly.push(part(false, vec![0, 0x42], Some((99, 2, 2))));
        assert!(last.is_some_and(|m| m.text.is_some()));
        assert_eq!(
            reassembly.push(part(false, vec![0, 0x42], Some((0, 2, 2)))),
            None
        );
    }

    fn part(udhi: bool, user_data: Vec<u8>, sar: Option<(u16, u8, u8)>) -> MoPart {
        MoPart {
            from: "+4912345".into(),
            to: "1234".into(),
            data_coding: 0x08,
            udhi,
            user_data,
            sar,
        }
    }

    #[test]
    fn udh_parts_are_joined_in_order_even_across_a_surrogate_pair() {
        let utf16: Vec<u8> = "a😀b".encode_utf16().flat_map(u16::to_be_bytes).collect();
        let (first, second) = utf16.split_at(4);
        let mut reassembly = Reassembly::default();
        let mut second_part = vec![5, 0, 3, 42, 2, 2];
        second_part.extend_from_slice(second);
        let mut first_part = vec![5, 0, 3, 42, 2, 1];
        first_part.extend_from_slice(first);
        assert_eq!(reassembly.push(part(true, second_part, None)), None);
        let text = reassembly
            .push(part(true, first_part, None))
            .expect("complete");
        assert_eq!(text.text.as_deref(), Some("a😀b"));
    }

    #[test]
    fn sar_parts_are_joined() {
        let mut reassembly = Reassembly::default();
        assert_eq!(
            reassembly.push(part(false, vec![0, 0x48], Some((7, 2, 1)))),
            None
        );
        let text = reassembly
            .push(part(false, vec![0, 0x69], Some((7, 2, 2))))
            .expect("complete");
        assert_eq!(text.text.as_deref(), Some("Hi"));
    }

    #[test]
    fn a_header_longer_than_the_data_is_ignored() {
        assert_eq!(split_udh(&[9, 0, 3]), (None, &[9u8, 0, 3][..]));
        assert_eq!(split_udh(&[5, 0, 9, 1, 2, 3, 0x41]).0, None);
        assert_eq!(decode(0x03, &[0xE9]).as_deref(), Some("é"));
        assert_eq!(decode(0x04, &[1, 2]), None);
    }
}
