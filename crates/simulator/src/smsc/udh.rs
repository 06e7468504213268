//! The parts of an SMS user data header (3GPP TS 23.040 9.2.3.24) the SMSC looks at: concatenation (8- and 16-bit
//! reference) and application ports (8- and 16-bit). Everything else is skipped.

/// Concatenation information, from a UDH or from SAR TLVs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Concat {
    pub reference: u16,
    pub total: u8,
    pub seq: u8,
}

/// What a user data header says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct UserDataHeader {
    pub concat: Option<Concat>,
    pub dest_port: Option<u16>,
    /// Octets of header, the length octet included; the user data proper starts here.
    pub length: usize,
}

const IE_CONCAT_8: u8 = 0x00;
const IE_PORTS_8: u8 = 0x04;
const IE_PORTS_16: u8 = 0x05;
const IE_CONCAT_16: u8 = 0x08;

/// Parses the header at the start of `user_data`; `None` when it is truncated.
pub(crate) fn parse(user_data: &[u8]) -> Option<UserDataHeader> {
    let header_length = usize::from(*user_data.first()?);
    let mut elements = user_data.get(1..1 + header_length)?;
    let mut header = UserDataHeader {
        length: 1 + header_length,
        ..UserDataHeader::default()
    };
    while let [id, len, rest @ ..] = elements {
        let data = rest.get(..usize::from(*len))?;
        match (*id, data) {
            (IE_CONCAT_8, [reference, total, seq]) => {
                header.concat = Some(Concat {
                    reference: u16::from(*reference),
                    total: *total,
                    seq: *seq,
                });
            }
            (IE_CONCAT_16, [hi, lo, total, seq]) => {
                header.concat = Some(Concat {
                    reference: u16::from_be_bytes([*hi, *lo]),
                    total: *total,
                    seq: *seq,
                });
            }
            (IE_PORTS_8, [dest, _src]) => header.dest_port = Some(u16::from(*dest)),
            (IE_PORTS_16, [d1, d2, _, _]) => {
                header.dest_port = Some(u16::from_be_bytes([*d1, *d2]))
            }
            _ => {}
        }
        elements = &rest[data.len()..];
    }
    Some(header)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wap_push_header_with_8_bit_concatenation() {
        let ud = [11, 5, 4, 0x0B, 0x84, 0x23, 0xF0, 0, 3, 42, 2, 1, 0xAA];
        let header = parse(&ud).expect("valid header");
        assert_eq!(header.dest_port, Some(2948));
        assert_eq!(
            header.concat,
            Some(Concat {
                reference: 42,
                total: 2,
                seq: 1
            })
        );
        assert_eq!(&ud[header.length..], &[0xAA]);
    }

    #[test]
    fn sixteen_bit_reference() {
        let header = parse(&[6, 8, 4, 0x12, 0x34, 3, 2]).expect("valid header");
        assert_eq!(header.concat.map(|c| c.reference), Some(0x1234));
    }

    #[test]
    fn truncated_headers_are_refused() {
        assert_eq!(parse(&[]), None);
        assert_eq!(parse(&[5, 0, 3, 1]), None);
        assert_eq!(parse(&[3, 0, 3, 1]), None);
    }
}
