//! SMPP framing on top of rusmpp's codec. rusmpp's own decoder ends the stream on the first PDU whose body does
//! not decode; an SMSC should answer that PDU with generic_nack and carry on while the framing is intact. So we
//! frame here (checking command_length before buffering anything) and let rusmpp decode one whole frame at a time.

use std::io;

use bytes::{Buf, BytesMut};
use rusmpp::{Command, decode::DecodeWithLength, tokio_codec::CommandCodec};
use tokio_util::codec::{Decoder, Encoder};

/// The largest command_length accepted; a longer one closes the session (nothing is allocated for it).
pub const MAX_COMMAND_LENGTH: usize = 64 * 1024;
/// command_length, command_id, command_status, sequence_number.
const HEADER_LENGTH: usize = 16;

/// One framed PDU.
#[derive(Debug)]
pub enum Frame {
    /// A PDU that decoded.
    Command(Box<Command>),
    /// The frame was intact but its body did not decode; the header is enough to answer it.
    Undecodable {
        command_id: u32,
        sequence_number: u32,
    },
}

/// Why a session's byte stream cannot go on.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// command_length out of bounds: the framing is lost.
    #[error("command_length {0} is outside 16..={MAX_COMMAND_LENGTH}")]
    Length(u32),
    /// The socket failed, or an encode did.
    #[error("socket: {0}")]
    Io(#[from] io::Error),
}

/// Frames SMPP PDUs; encodes with rusmpp's [`CommandCodec`].
#[derive(Debug, Default)]
pub struct SmppCodec {
    encoder: CommandCodec,
}

fn be_u32(bytes: &[u8], at: usize) -> u32 {
    let mut word = [0u8; 4];
    if let Some(slice) = bytes.get(at..at + 4) {
        word.copy_from_slice(slice);
    }
    u32::from_be_bytes(word)
}

impl Decoder for SmppCodec {
    type Item = Frame;
    type Error = FrameError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Frame>, FrameError> {
        if src.len() < 4 {
            return Ok(None);
        }
        let declared = be_u32(src, 0);
        let length = declared as usize;
        if !(HEADER_LENGTH..=MAX_COMMAND_LENGTH).contains(&length) {
            return Err(FrameError::Length(declared));
        }
        if src.len() < length {
            // Bounded by MAX_COMMAND_LENGTH above.
            src.reserve(length - src.len());
            return Ok(None);
        }
        let mut frame = src.split_to(length);
        let command_id = be_u32(&frame, 4);
        let sequence_number = be_u32(&frame, 12);
        frame.advance(4);
        Ok(Some(match Command::decode(&mut frame, length - 4) {
            Ok((command, _)) => Frame::Command(Box::new(command)),
            Err(_) => Frame::Undecodable {
                command_id,
                sequence_number,
            },
        }))
    }
}

impl Encoder<Command> for SmppCodec {
    type Error = FrameError;

    fn encode(&mut self, command: Command, dst: &mut BytesMut) -> Result<(), FrameError> {
        self.encoder.encode(command, dst).map_err(|e| match e {
            rusmpp::tokio_codec::EncodeError::Io(io) => FrameError::Io(io),
            other => FrameError::Io(io::Error::other(other.to_string())),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_oversized_length_is_refused_before_any_buffering() {
        let mut src = BytesMut::from(&[0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 4][..]);
        assert!(matches!(
            SmppCodec::default().decode(&mut src),
            Err(FrameError::Length(0x7fff_ffff))
        ));
        assert!(src.capacity() < 1024);
    }

    #[test]
    fn a_short_length_is_refused() {
        let mut src = BytesMut::from(&[0, 0, 0, 8, 0, 0, 0, 21, 0, 0, 0, 0][..]);
        assert!(SmppCodec::default().decode(&mut src).is_err());
    }

    #[test]
    fn a_frame_with_a_bad_body_keeps_its_header() {
        // bind_transmitter whose system_id has no terminating NUL.
        let mut bytes = vec![0, 0, 0, 20, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 9];
        bytes.extend_from_slice(b"abcd");
        bytes.extend_from_slice(&[0, 0, 0, 16, 0, 0, 0, 21, 0, 0, 0, 0, 0, 0, 0, 10]);
        let mut src = BytesMut::from(&bytes[..]);
        let mut codec = SmppCodec::default();
        assert!(matches!(
            codec.decode(&mut src),
            Ok(Some(Frame::Undecodable {
                command_id: 2,
                sequence_number: 9
            }))
        ));
        match codec.decode(&mut src) {
            Ok(Some(Frame::Command(c))) => assert_eq!(c.sequence_number(), 10),
            other => panic!("expected the enquire_link after it, got {other:?}"),
        }
    }

    #[test]
    fn random_bodies_never_panic_and_never_lose_the_framing() {
        // Request and response ids rusmpp knows, plus an unknown one.
        let ids: [u32; 12] = [
            0x01,
            0x02,
            0x04,
            0x05,
            0x06,
            0x09,
            0x0B,
            0x15,
            0x21,
            0x103,
            0x8000_0004,
            0x1234,
        ];
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut random = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut codec = SmppCodec::default();
        for round in 0..20_000u32 {
            let id = ids[round as usize % ids.len()];
            let body_length = (random() % 300) as usize;
            let mut bytes = Vec::with_capacity(16 + body_length);
            bytes.extend_from_slice(&((16 + body_length) as u32).to_be_bytes());
            bytes.extend_from_slice(&id.to_be_bytes());
            bytes.extend_from_slice(&[0, 0, 0, 0]);
            bytes.extend_from_slice(&round.to_be_bytes());
            bytes.extend((0..body_length).map(|_| random() as u8));
            let mut src = BytesMut::from(&bytes[..]);
            let sequence = match codec.decode(&mut src) {
                Ok(Some(Frame::Command(c))) => c.sequence_number(),
                Ok(Some(Frame::Undecodable {
                    sequence_number, ..
                })) => sequence_number,
                other => panic!("round {round}: {other:?}"),
            };
            assert_eq!(sequence, round);
            assert!(src.is_empty(), "round {round} left bytes behind");
        }
    }
}
