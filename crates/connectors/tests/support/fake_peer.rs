//! A raw TCP SMSC that misbehaves on purpose: each connection follows a script, and the peer counts what it
//! saw, so that tests can check that no submit was lost or counted twice.

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    task::JoinHandle,
};

const SUBMIT_SM: u32 = 0x0000_0004;
const SUBMIT_SM_RESP: u32 = 0x8000_0004;
const UNBIND: u32 = 0x0000_0006;
const ENQUIRE_LINK: u32 = 0x0000_0015;
const GENERIC_NACK: u32 = 0x8000_0000;
const RESPONSE: u32 = 0x8000_0000;
/// A command id that SMPP does not define.
pub const UNKNOWN_COMMAND: u32 = 0x0000_0777;

/// How one connection behaves once bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Answers everything properly.
    Good,
    /// Answers the first submit with bytes that are no PDU.
    Garbage,
    /// Answers the first submit with a header claiming a 16 MB PDU.
    Oversized,
    /// Sends a command with an unknown id before answering each submit.
    UnknownCommand,
    /// Reads this many submits without answering, then closes the socket.
    DropAfter(usize),
    /// Reads everything and answers nothing, enquire_link included (a half-open peer).
    Silent,
}

/// What the peer saw.
#[derive(Debug, Default, Clone)]
pub struct Seen {
    /// Connections accepted.
    pub connections: usize,
    /// submit_sm received, per connection.
    pub submits: Vec<usize>,
    /// Message ids answered with ESME_ROK.
    pub accepted: Vec<String>,
    /// command_status of the generic_nacks the client sent us.
    pub nacks: Vec<u32>,
}

/// The running peer.
pub struct FakePeer {
    /// Where it listens.
    pub addr: SocketAddr,
    seen: Arc<Mutex<Seen>>,
    task: JoinHandle<()>,
}

impl FakePeer {
    /// Listens on an ephemeral port; connection `i` follows `scripts[i]`, later ones [`Script::Good`].
    pub async fn start(scripts: Vec<Script>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local addr");
        let seen = Arc::new(Mutex::new(Seen::default()));
        let task = {
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut index = 0;
                while let Ok((stream, _)) = listener.accept().await {
                    let script = scripts.get(index).copied().unwrap_or(Script::Good);
                    index += 1;
                    let seen = seen.clone();
                    let connection = {
                        let mut s = seen.lock().expect("lock");
                        s.connections += 1;
                        s.submits.push(0);
                        s.connections - 1
                    };
                    tokio::spawn(serve(stream, script, seen, connection));
                }
            })
        };
        Self { addr, seen, task }
    }

    /// A copy of what it saw so far.
    pub fn seen(&self) -> Seen {
        self.seen.lock().expect("lock").clone()
    }

    /// `host:port`.
    pub fn addr(&self) -> String {
        self.addr.to_string()
    }
}

impl Drop for FakePeer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// command_id, command_status, sequence_number.
async fn read_pdu(stream: &mut TcpStream) -> Option<(u32, u32, u32)> {
    let mut header = [0u8; 16];
    stream.read_exact(&mut header).await.ok()?;
    let word =
        |i: usize| u32::from_be_bytes([header[i], header[i + 1], header[i + 2], header[i + 3]]);
    let length = usize::try_from(word(0)).ok()?;
    if !(16..=65_536).contains(&length) {
        return None;
    }
    let mut body = vec![0u8; length - 16];
    stream.read_exact(&mut body).await.ok()?;
    Some((word(4), word(8), word(12)))
}

fn pdu(id: u32, status: u32, sequence: u32, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + body.len());
    out.extend_from_slice(&(16 + body.len() as u32).to_be_bytes());
    out.extend_from_slice(&id.to_be_bytes());
    out.extend_from_slice(&status.to_be_bytes());
    out.extend_from_slice(&sequence.to_be_bytes());
    out.extend_from_slice(body);
    out
}

async fn serve(mut stream: TcpStream, script: Script, seen: Arc<Mutex<Seen>>, connection: usize) {
    let _ = stream.set_nodelay(true);
    let mut bound = false;
    while let Some((id, status, sequence)) = read_pdu(&mut stream).await {
        let reply = match id {
            0x1 | 0x2 | 0x9 => {
                bound = true;
                pdu(id | RESPONSE, 0, sequence, b"fake\0")
            }
            _ if bound && script == Script::Silent && id != SUBMIT_SM => continue,
            ENQUIRE_LINK => pdu(id | RESPONSE, 0, sequence, &[]),
            UNBIND => {
                let _ = stream
                    .write_all(&pdu(id | RESPONSE, 0, sequence, &[]))
                    .await;
                return;
            }
            GENERIC_NACK => {
                seen.lock().expect("lock").nacks.push(status);
                continue;
            }
            SUBMIT_SM => {
                let count = {
                    let mut s = seen.lock().expect("lock");
                    s.submits[connection] += 1;
                    s.submits[connection]
                };
                match script {
                    Script::Good => accept(&seen, connection, count, sequence),
                    Script::Silent => continue,
                    Script::Garbage => {
                        b"\x00\x00\x00\x08\xde\xad\xbe\xef garbage, not a PDU".to_vec()
                    }
                    Script::Oversized => pdu(SUBMIT_SM_RESP, 0, sequence, &[])
                        .into_iter()
                        .enumerate()
                        .map(|(i, b)| if i == 1 { 0xFF } else { b })
                        .collect(),
                    Script::UnknownCommand => {
                        let mut both = pdu(UNKNOWN_COMMAND, 0, 999, &[]);
                        both.extend(accept(&seen, connection, count, sequence));
                        both
                    }
                    Script::DropAfter(limit) if count >= limit => return,
                    Script::DropAfter(_) => continue,
                }
            }
            _ => continue,
        };
        if stream.write_all(&reply).await.is_err() {
            return;
        }
    }
}

fn accept(seen: &Mutex<Seen>, connection: usize, count: usize, sequence: u32) -> Vec<u8> {
    let id = format!("c{connection}m{count}");
    seen.lock().expect("lock").accepted.push(id.clone());
    let mut body = id.into_bytes();
    body.push(0);
    pdu(SUBMIT_SM_RESP, 0, sequence, &body)
}
