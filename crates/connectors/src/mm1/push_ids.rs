//! Which MMS each WAP Push SMS announced: the SMSC's receipts name push segments, and a failed push (a landline,
//! an expired SMS) is the only word we get about an MMS the handset never heard of.

use std::{
    collections::{HashMap, VecDeque},
    sync::Mutex,
};

/// Push segment ids → our token, bounded: the oldest entries go first.
#[derive(Debug)]
pub struct PushIds {
    inner: Mutex<(HashMap<String, String>, VecDeque<String>)>,
    capacity: usize,
}

impl PushIds {
    /// Remembers at most `capacity` segment ids.
    pub fn new(capacity: usize) -> Self {
        Self {
            inner: Mutex::new((HashMap::new(), VecDeque::new())),
            capacity: capacity.max(1),
        }
    }

    /// Records that `segment_ids` carried the notification of `token`.
    pub fn record(&self, segment_ids: &[String], token: &str) {
        let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let (map, order) = &mut *guard;
        for id in segment_ids {
            if map.insert(id.clone(), token.to_owned()).is_none() {
                order.push_back(id.clone());
            }
            while order.len() > self.capacity {
                if let Some(old) = order.pop_front() {
                    map.remove(&old);
                }
            }
        }
    }

    /// The token a push segment announced, forgetting it when `last` (a final receipt).
    pub fn token_of(&self, segment_id: &str, last: bool) -> Option<String> {
        let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let (map, _) = &mut *guard;
        if last {
            map.remove(segment_id)
        } else {
            map.get(segment_id).cloned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_segments_and_forgets_the_oldest_beyond_capacity() {
        let ids = PushIds::new(3);
        ids.record(&["a".into(), "b".into()], "t1");
        ids.record(&["c".into(), "d".into()], "t2");
        assert_eq!(ids.token_of("a", false), None, "evicted");
        assert_eq!(ids.token_of("b", false).as_deref(), Some("t1"));
        assert_eq!(ids.token_of("d", true).as_deref(), Some("t2"));
        assert_eq!(
            ids.token_of("d", false),
            None,
            "a final receipt forgets the id"
        );
    }
}
