//! Carrier ids we returned and still expect receipts for. SMSCs are inconsistent: one answers submit_sm with
//! a hex id and writes the receipt's `id:` in decimal, another the other way round. Receipts are reported
//! with the id exactly as we returned it, so each id is also remembered in its other base.

use std::collections::{HashMap, VecDeque};

/// A bounded map from receipt ids (in either base) to the ids we returned; the oldest are forgotten first.
#[derive(Debug)]
pub struct Outstanding {
    capacity: usize,
    exact: HashMap<String, String>,
    other_base: HashMap<String, String>,
    order: VecDeque<String>,
}

/// `id` with ASCII letters lowered and leading zeros dropped (keeping one digit).
fn canonical(id: &str) -> String {
    let lowered = id.trim().to_ascii_lowercase();
    let trimmed = lowered.trim_start_matches('0');
    if trimmed.is_empty() && !lowered.is_empty() {
        "0".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// The id read in the other base: decimal digits as a number written in hex, hex digits written in decimal.
/// An id of digits only is both, so both readings are returned.
fn other_bases(id: &str) -> Vec<String> {
    let mut others = Vec::new();
    if !id.is_empty() && id.len() <= 30 {
        if let Ok(decimal) = id.parse::<u128>() {
            others.push(format!("{decimal:x}"));
        }
        if let Ok(hex) = u128::from_str_radix(id, 16) {
            others.push(hex.to_string());
        }
    }
    others
}

impl Outstanding {
    /// Remembers at most `capacity` ids.
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            exact: HashMap::new(),
            other_base: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    /// Remembers an id we returned in `Accepted`.
    pub fn insert(&mut self, returned: &str) {
        let key = canonical(returned);
        if self.exact.contains_key(&key) {
            return;
        }
        while self.exact.len() >= self.capacity {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            if self.exact.remove(&oldest).is_some() {
                self.forget_other_bases(&oldest);
            }
        }
        // Entries of removed ids linger in `order`; drop them when they would make it grow without bound.
        if self.order.len() >= self.capacity.saturating_mul(2) {
            let exact = &self.exact;
            self.order.retain(|k| exact.contains_key(k));
        }
        for other in other_bases(&key) {
            self.other_base.insert(other, returned.to_owned());
        }
        self.exact.insert(key.clone(), returned.to_owned());
        self.order.push_back(key);
    }

    /// The id we returned for a receipt's id: the same id first, then the same number in the other base.
    pub fn lookup(&self, receipt_id: &str) -> Option<&str> {
        let key = canonical(receipt_id);
        self.exact
            .get(&key)
            .or_else(|| self.other_base.get(&key))
            .map(String::as_str)
    }

    /// Forgets an id once its final receipt came. Its place in the eviction order is left behind and skipped
    /// later, so that this stays O(1).
    pub fn remove(&mut self, returned: &str) {
        let key = canonical(returned);
        if self.exact.remove(&key).is_some() {
            self.forget_other_bases(&key);
        }
    }

    fn forget_other_bases(&mut self, key: &str) {
        for other in other_bases(key) {
            if self.other_base.get(&other).map(|v| canonical(v)).as_deref() == Some(key) {
                self.other_base.remove(&other);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_returned_decimal_received_and_back() {
        let mut ids = Outstanding::new(10);
        ids.insert("1A2B3C");
        ids.insert("123456");
        assert_eq!(ids.lookup("1715004"), Some("1A2B3C"));
        assert_eq!(ids.lookup("1a2b3c"), Some("1A2B3C"));
        assert_eq!(ids.lookup("1e240"), Some("123456"));
        assert_eq!(ids.lookup("00123456"), Some("123456"));
        assert_eq!(ids.lookup("999"), None);
    }

    #[test]
    fn the_same_id_wins_over_another_base() {
        let mut ids = Outstanding::new(10);
        ids.insert("16");
        ids.insert("10");
        assert_eq!(ids.lookup("10"), Some("10"));
        assert_eq!(ids.lookup("16"), Some("16"));
    }

    #[test]
    fn the_oldest_are_forgotten_and_removed_ids_go() {
        let mut ids = Outstanding::new(2);
        ids.insert("a1");
        ids.insert("a2");
        ids.insert("a3");
        assert_eq!(ids.lookup("a1"), None);
        assert_eq!(ids.lookup("a3"), Some("a3"));
        ids.remove("a3");
        assert_eq!(ids.lookup("a3"), None);
        assert_eq!(ids.lookup("163"), None);
    }
}
