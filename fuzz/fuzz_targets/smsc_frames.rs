//! Fuzz target for the simulator SMSC's framing and PDU decoding (crates/simulator/src/smsc/codec.rs): any byte
//! stream, arriving in chunks whose size the first octet picks, goes through the codec the way `Framed` drives
//! it. Nothing may panic, each frame takes at least a header's worth of bytes, an undecodable frame keeps its
//! header, and the buffer never grows past what the input and MAX_COMMAND_LENGTH explain (run with
//! `-malloc_limit_mb=1` to catch a single large allocation as well).

#![no_main]

use bytes::BytesMut;
use canvass_simulator::smsc::{
    MAX_COMMAND_LENGTH,
    fuzzing::{Frame, SmppCodec},
};
use libfuzzer_sys::fuzz_target;
use tokio_util::codec::Decoder;

const HEADER_LENGTH: usize = 16;

fuzz_target!(|data: &[u8]| {
    let Some((&chunk, stream)) = data.split_first() else {
        return;
    };
    let chunk = usize::from(chunk).max(1);
    let mut codec = SmppCodec::default();
    let mut src = BytesMut::new();
    let mut frames = 0usize;
    'stream: for piece in stream.chunks(chunk) {
        src.extend_from_slice(piece);
        loop {
            let before = src.len();
            let header: Vec<u8> = src.iter().take(HEADER_LENGTH).copied().collect();
            let decoded = codec.decode(&mut src);
            assert!(
                src.capacity() <= 2 * (MAX_COMMAND_LENGTH + stream.len()),
                "buffer of {} for {} input bytes",
                src.capacity(),
                stream.len()
            );
            match decoded {
                Ok(None) => break,
                Ok(Some(frame)) => {
                    frames += 1;
                    assert!(
                        before - src.len() >= HEADER_LENGTH,
                        "a frame shorter than its header"
                    );
                    let word = |at: usize| {
                        u32::from_be_bytes([
                            header[at],
                            header[at + 1],
                            header[at + 2],
                            header[at + 3],
                        ])
                    };
                    match frame {
                        Frame::Command(command) => assert_eq!(command.sequence_number(), word(12)),
                        Frame::Undecodable {
                            command_id,
                            sequence_number,
                        } => {
                            assert_eq!(command_id, word(4));
                            assert_eq!(sequence_number, word(12));
                        }
                    }
                }
                // The session closes here.
                Err(_) => break 'stream,
            }
        }
    }
    assert!(frames <= stream.len() / HEADER_LENGTH);
});
