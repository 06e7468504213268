//! WAP over SMS (WAP-259-WDP Annex / 3GPP TS 23.040 9.2.3.24): a WSP PDU split into SMS user data, each with a
//! user data header carrying 16-bit application port addressing (IE 0x05) and, when more than one segment is
//! needed, 8-bit-reference concatenation (IE 0x00). This is the payload of an SMPP submit_sm with esm_class
//! 0x40 (UDHI) and data_coding 0x04 (8-bit).

use crate::error::{Error, ErrorKind, Result};
use crate::reader::Reader;

/// WAP Push connectionless port (WDP, `wap-push` 2948).
pub const WAP_PUSH_PORT: u16 = 2948;
/// WAP connectionless session service port, the usual originator port (9200).
pub const WAP_WSP_PORT: u16 = 9200;
/// Octets of user data in one 8-bit SMS.
pub const MAX_USER_DATA: usize = 140;

const IE_CONCAT_8: u8 = 0x00;
const IE_PORTS_8: u8 = 0x04;
const IE_PORTS_16: u8 = 0x05;
const IE_CONCAT_16: u8 = 0x08;
/// UDHL + port IE (1 + 1 + 1 + 4).
const UDH_PORTS_LEN: usize = 7;
/// UDHL + port IE + concatenation IE (7 + 5).
const UDH_PORTS_CONCAT_LEN: usize = 12;

/// How to split a payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentOptions {
    /// Octets of user data per SMS, UDH included (140 for 8-bit SMS).
    pub max_user_data: usize,
    /// Concatenation reference shared by the segments of one message.
    pub reference: u8,
    /// Destination port.
    pub dest_port: u16,
    /// Source port.
    pub src_port: u16,
}

impl Default for SegmentOptions {
    fn default() -> Self {
        SegmentOptions {
            max_user_data: MAX_USER_DATA,
            reference: 0,
            dest_port: WAP_PUSH_PORT,
            src_port: WAP_WSP_PORT,
        }
    }
}

/// Splits `payload` (a WSP push PDU) into SMS user data, UDH included.
pub fn segments(payload: &[u8], opts: &SegmentOptions) -> Result<Vec<Vec<u8>>> {
    if opts.max_user_data <= UDH_PORTS_CONCAT_LEN {
        return Err(Error::unencodable(
            "segment size leaves no room after the UDH",
        ));
    }
    if payload.len() + UDH_PORTS_LEN <= opts.max_user_data {
        let mut ud = Vec::with_capacity(payload.len() + UDH_PORTS_LEN);
        ud.extend_from_slice(&[6, IE_PORTS_16, 4]);
        push_ports(&mut ud, opts);
        ud.extend_from_slice(payload);
        return Ok(vec![ud]);
    }
    let room = opts.max_user_data - UDH_PORTS_CONCAT_LEN;
    let total = payload.len().div_ceil(room);
    let total = u8::try_from(total)
        .map_err(|_| Error::unencodable("payload needs more than 255 segments"))?;
    Ok(payload
        .chunks(room)
        .zip(1..=u8::MAX)
        .map(|(chunk, seq)| {
            let mut ud = Vec::with_capacity(chunk.len() + UDH_PORTS_CONCAT_LEN);
            ud.extend_from_slice(&[11, IE_PORTS_16, 4]);
            push_ports(&mut ud, opts);
            ud.extend_from_slice(&[IE_CONCAT_8, 3, opts.reference, total, seq]);
            ud.extend_from_slice(chunk);
            ud
        })
        .collect())
}

fn push_ports(ud: &mut Vec<u8>, opts: &SegmentOptions) {
    ud.extend_from_slice(&opts.dest_port.to_be_bytes());
    ud.extend_from_slice(&opts.src_port.to_be_bytes());
}

/// Concatenation information of one segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Concat {
    /// Reference number (8 or 16 bits on the wire).
    pub reference: u16,
    /// Total number of segments.
    pub total: u8,
    /// This segment's number, from 1.
    pub seq: u8,
}

/// One decoded SMS user data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserData<'a> {
    /// (destination, source) ports, if addressed.
    pub ports: Option<(u16, u16)>,
    /// Concatenation, if present.
    pub concat: Option<Concat>,
    /// The user data after the UDH.
    pub payload: &'a [u8],
}

/// Decodes user data that starts with a UDH (the UDHI bit was set).
pub fn decode_user_data(ud: &[u8]) -> Result<UserData<'_>> {
    let mut r = Reader::new(ud);
    let udh_len = usize::from(r.u8()?);
    let mut udh = r.sub(udh_len)?;
    let mut out = UserData {
        ports: None,
        concat: None,
        payload: &[],
    };
    while !udh.is_empty() {
        let iei = udh.u8()?;
        let len = usize::from(udh.u8()?);
        let at = udh.pos();
        let v = udh.sub(len)?.rest();
        match (iei, v) {
            (IE_PORTS_16, [d0, d1, s0, s1]) => {
                out.ports = Some((
                    u16::from_be_bytes([*d0, *d1]),
                    u16::from_be_bytes([*s0, *s1]),
                ))
            }
            (IE_PORTS_8, [d, s]) => out.ports = Some((u16::from(*d), u16::from(*s))),
            (IE_CONCAT_8, [reference, total, seq]) => {
                out.concat = Some(Concat {
                    reference: u16::from(*reference),
                    total: *total,
                    seq: *seq,
                })
            }
            (IE_CONCAT_16, [r0, r1, total, seq]) => {
                out.concat = Some(Concat {
                    reference: u16::from_be_bytes([*r0, *r1]),
                    total: *total,
                    seq: *seq,
                })
            }
            (IE_PORTS_16 | IE_PORTS_8 | IE_CONCAT_8 | IE_CONCAT_16, _) => {
                return Err(Error::new(ErrorKind::BadLength, at - 1));
            }
            _ => {} // Other IEs (e.g. SMSC control) do not concern reassembly.
        }
    }
    if let Some(c) = out.concat
        && (c.seq == 0 || c.seq > c.total)
    {
        return Err(Error::new(
            ErrorKind::BadSegments("sequence number outside 1..=total"),
            0,
        ));
    }
    out.payload = r.rest();
    Ok(out)
}

/// A message put back together from its segments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reassembled {
    /// (destination, source) ports of the first segment, if addressed.
    pub ports: Option<(u16, u16)>,
    /// The concatenated payloads.
    pub payload: Vec<u8>,
}

/// Reassembles the segments of one message (any order).
pub fn reassemble(segments: &[&[u8]]) -> Result<Reassembled> {
    let mut decoded = segments
        .iter()
        .map(|s| decode_user_data(s))
        .collect::<Result<Vec<_>>>()?;
    let bad = |why| Error::new(ErrorKind::BadSegments(why), 0);
    let Some(first) = decoded.first() else {
        return Err(bad("no segments"));
    };
    let ports = first.ports;
    match first.concat {
        None if decoded.len() == 1 => {
            return Ok(Reassembled {
                ports,
                payload: first.payload.to_vec(),
            });
        }
        None => return Err(bad("several segments without concatenation")),
        Some(c) => {
            if usize::from(c.total) != decoded.len() {
                return Err(bad("segment count differs from the announced total"));
            }
            if decoded
                .iter()
                .any(|d| d.concat.map(|x| (x.reference, x.total)) != Some((c.reference, c.total)))
            {
                return Err(bad("segments of different messages"));
            }
        }
    }
    decoded.sort_by_key(|d| d.concat.map_or(0, |c| c.seq));
    if decoded
        .iter()
        .zip(1..=u8::MAX)
        .any(|(d, n)| d.concat.map(|c| c.seq) != Some(n))
    {
        return Err(bad("missing or repeated segment"));
    }
    Ok(Reassembled {
        ports,
        payload: decoded
            .iter()
            .flat_map(|d| d.payload.iter().copied())
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn short_payload_gets_ports_only() {
        let segs = segments(&[1, 2, 3], &SegmentOptions::default()).unwrap();
        assert_eq!(segs, vec![vec![6, 5, 4, 0x0B, 0x84, 0x23, 0xF0, 1, 2, 3]]);
    }

    #[test]
    fn long_payload_is_concatenated_within_140() {
        let payload: Vec<u8> = (0..300u32).map(|i| i as u8).collect();
        let opts = SegmentOptions {
            reference: 7,
            ..SegmentOptions::default()
        };
        let segs = segments(&payload, &opts).unwrap();
        assert_eq!(segs.len(), 3);
        assert!(segs.iter().all(|s| s.len() <= 140));
        assert_eq!(
            &segs[1][..12],
            &[11, 5, 4, 0x0B, 0x84, 0x23, 0xF0, 0, 3, 7, 3, 2]
        );
        let mut refs: Vec<&[u8]> = segs.iter().map(Vec::as_slice).collect();
        refs.reverse();
        let back = reassemble(&refs).unwrap();
        assert_eq!((back.ports, back.payload), (Some((2948, 9200)), payload));
    }

    #[test]
    fn missing_segment_is_detected() {
        let payload = vec![0u8; 400];
        let segs = segments(&payload, &SegmentOptions::default()).unwrap();
        let refs: Vec<&[u8]> = segs.iter().skip(1).map(Vec::as_slice).collect();
        assert!(matches!(
            reassemble(&refs).unwrap_err().kind,
            ErrorKind::BadSegments(_)
        ));
    }

    proptest! {
        #[test]
        fn split_and_reassemble(payload in proptest::collection::vec(any::<u8>(), 0..2000), max in 13usize..=140) {
            let opts = SegmentOptions { max_user_data: max, ..SegmentOptions::default() };
            match segments(&payload, &opts) {
                Ok(segs) => {
                    prop_assert!(segs.iter().all(|s| s.len() <= max));
                    let refs: Vec<&[u8]> = segs.iter().map(Vec::as_slice).collect();
                    prop_assert_eq!(reassemble(&refs).unwrap().payload, payload);
                }
                Err(e) => prop_assert!(matches!(e.kind, ErrorKind::Unencodable(_))),
            }
        }
    }
}
