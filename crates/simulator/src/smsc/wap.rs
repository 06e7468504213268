//! WAP Push capture: segments addressed to port 2948 are reassembled and published, so that simulated handsets
//! (and tests) can see what a client pushed to a number.

use std::{
    collections::{BTreeMap, HashMap, VecDeque},
    sync::Mutex,
    time::Instant,
};

use bytes::{Bytes, BytesMut};
use tokio::sync::broadcast;

use canvass_mms::wsp::sms::Concat;

/// The WAP Push connectionless port (WDP `wap-push`).
pub const WAP_PUSH_PORT: u16 = 2948;

/// Unfinished reassemblies kept at most; the oldest is dropped past this.
const MAX_PARTIAL: usize = 1024;
/// Pushes remembered per recipient; the oldest is dropped past this.
const MAX_KEPT_PER_RECIPIENT: usize = 64;

/// One WAP Push as a handset would receive it: the WSP push PDU, reassembled, without SMS headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WapPush {
    /// destination_addr of the submit.
    pub to: String,
    /// source_addr of the submit.
    pub from: String,
    /// The WSP push PDU (decode with `canvass_mms::wap_push::decode_push`).
    pub payload: Bytes,
}

#[derive(Debug)]
struct Partial {
    total: u8,
    parts: BTreeMap<u8, Bytes>,
    started: Instant,
}

type PartialKey = (String, String, u16);

#[derive(Debug, Default)]
struct Inner {
    partial: HashMap<PartialKey, Partial>,
    received: HashMap<String, VecDeque<WapPush>>,
}

/// Reassembly state, the per-recipient record and the broadcast channel.
#[derive(Debug)]
pub(crate) struct WapPushes {
    sender: broadcast::Sender<WapPush>,
    inner: Mutex<Inner>,
}

impl Default for WapPushes {
    fn default() -> Self {
        Self {
            sender: broadcast::channel(1024).0,
            inner: Mutex::default(),
        }
    }
}

impl WapPushes {
    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> T {
        let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }

    pub(crate) fn subscribe(&self) -> broadcast::Receiver<WapPush> {
        self.sender.subscribe()
    }

    pub(crate) fn received_for(&self, to: &str) -> Vec<WapPush> {
        self.with(|inner| {
            inner
                .received
                .get(to)
                .map(|q| q.iter().cloned().collect())
                .unwrap_or_default()
        })
    }

    /// Takes one accepted segment (user data after the UDH); publishes the push once it is complete.
    pub(crate) fn segment(&self, from: &str, to: &str, concat: Option<Concat>, data: &[u8]) {
        let complete = match concat {
            None => Some(Bytes::copy_from_slice(data)),
            Some(c) if c.total <= 1 => Some(Bytes::copy_from_slice(data)),
            Some(c) => self.with(|inner| collect(inner, from, to, c, data)),
        };
        if let Some(payload) = complete {
            let push = WapPush {
                to: to.to_owned(),
                from: from.to_owned(),
                payload,
            };
            self.with(|inner| {
                let kept = inner.received.entry(push.to.clone()).or_default();
                if kept.len() == MAX_KEPT_PER_RECIPIENT {
                    kept.pop_front();
                }
                kept.push_back(push.clone());
            });
            // No subscriber is fine: the per-recipient record still has it.
            let _ = self.sender.send(push);
        }
    }
}

fn collect(inner: &mut Inner, from: &str, to: &str, c: Concat, data: &[u8]) -> Option<Bytes> {
    if c.seq == 0 || c.seq > c.total {
        return None;
    }
    let key = (from.to_owned(), to.to_owned(), c.reference);
    if !inner.partial.contains_key(&key) && inner.partial.len() >= MAX_PARTIAL {
        let oldest = inner
            .partial
            .iter()
            .min_by_key(|(_, p)| p.started)
            .map(|(k, _)| k.clone());
        if let Some(oldest) = oldest {
            inner.partial.remove(&oldest);
        }
    }
    let partial = inner.partial.entry(key.clone()).or_insert_with(|| Partial {
        total: c.total,
        parts: BTreeMap::new(),
        started: Instant::now(),
    });
    partial.parts.insert(c.seq, Bytes::copy_from_slice(data));
    if partial.parts.len() < usize::from(partial.total) {
        return None;
    }
    let done = inner.partial.remove(&key)?;
    let mut payload = BytesMut::new();
    for part in done.parts.values() {
        payload.extend_from_slice(part);
    }
    Some(payload.freeze())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_in_any_order_make_one_push() {
        let pushes = WapPushes::default();
        let mut rx = pushes.subscribe();
        let part = |seq| Concat {
            reference: 7,
            total: 2,
            seq,
        };
        pushes.segment("a", "b", Some(part(2)), b"world");
        assert!(pushes.received_for("b").is_empty());
        pushes.segment("a", "b", Some(part(1)), b"hello ");
        let push = rx.try_recv().expect("published");
        assert_eq!(&push.payload[..], b"hello world");
        assert_eq!(pushes.received_for("b"), vec![push]);
    }
}
