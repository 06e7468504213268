//! Content-addressed results: the port a blob store implements, and an in-memory one for tests and small runs.
//!
//! One million voters share far fewer first names; a render is keyed by what determines its bytes (the
//! template and the values of the fields it references), so recipients with the same values share one render.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use sha2::{Digest, Sha256};

use crate::Result;

/// Where rendered pictures are kept by content key. The lead's blob store implements it; keys are lower-case
/// hex SHA-256 strings, safe as file names.
pub trait RenderCache {
    /// The bytes stored under `key`, if any.
    fn get(&self, key: &str) -> Result<Option<Arc<[u8]>>>;
    /// Stores `bytes` under `key`; storing the same key twice keeps either copy (they are identical).
    fn put(&self, key: &str, bytes: Arc<[u8]>) -> Result<()>;
}

/// A [`RenderCache`] in a hash map: for tests, the CLI's one-off renders and batches that fit in memory.
#[derive(Debug, Default)]
pub struct MemoryRenderCache {
    entries: Mutex<HashMap<String, Arc<[u8]>>>,
}

impl MemoryRenderCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of distinct renders stored.
    pub fn len(&self) -> usize {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl RenderCache for MemoryRenderCache {
    fn get(&self, key: &str) -> Result<Option<Arc<[u8]>>> {
        Ok(self
            .entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key)
            .cloned())
    }

    fn put(&self, key: &str, bytes: Arc<[u8]>) -> Result<()> {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key.to_owned(), bytes);
        Ok(())
    }
}

/// Builds a content key: the template's digest, then each referenced field as name and value, length-prefixed
/// so that no two different inputs hash the same bytes.
pub(crate) struct KeyBuilder(Sha256);

impl KeyBuilder {
    pub(crate) fn new(template_digest: &[u8; 32]) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(b"canvass-render-v1");
        hasher.update(template_digest);
        KeyBuilder(hasher)
    }

    pub(crate) fn field(&mut self, name: &str, value: &str) {
        for part in [name, value] {
            self.0.update((part.len() as u64).to_le_bytes());
            self.0.update(part.as_bytes());
        }
    }

    pub(crate) fn finish(self) -> String {
        let digest = self.0.finalize();
        let mut hex = String::with_capacity(64);
        for byte in digest {
            hex.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
            hex.push(char::from_digit(u32::from(byte & 15), 16).unwrap_or('0'));
        }
        hex
    }
}

/// SHA-256 of some bytes: the template digest covers its source and every asset it loads.
pub(crate) fn digest(parts: &[&[u8]]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher.finalize().into()
}
