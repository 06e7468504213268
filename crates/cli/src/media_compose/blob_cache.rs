//! The media engine's caches ([`RenderCache`] for pictures, [`IntroCache`] for video intros) on the store's
//! content-addressed [`BlobStore`].
//!
//! The engine keys a render by what determines it (template and values); the blob store keys bytes by their own
//! hash. A small index maps one to the other: a file per render key holding the blob key, written through a
//! temporary name and a rename. Identical renders from different templates still share one blob.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use canvass_media::render::RenderCache;
use canvass_media::video::template::IntroCache;
use canvass_media::{Error, Result};
use canvass_store::{BlobKey, BlobStore};
use tokio::runtime::Handle;

/// Renders and intros in a [`BlobStore`], with their render-key index in `index_dir`. The engine calls the caches
/// synchronously, so use it from a blocking thread of a Tokio runtime (`spawn_blocking`): it waits on the blob
/// store's async calls through the runtime's handle.
#[derive(Debug, Clone)]
pub struct BlobCache {
    blobs: BlobStore,
    index_dir: PathBuf,
    runtime: Handle,
}

impl BlobCache {
    /// A cache over `blobs`, indexing render keys in `index_dir` (created on first write).
    pub fn new(blobs: BlobStore, index_dir: impl Into<PathBuf>, runtime: Handle) -> Self {
        BlobCache {
            blobs,
            index_dir: index_dir.into(),
            runtime,
        }
    }

    /// The index file of a render key; keys must be hex so they can never leave the folder.
    fn index_path(&self, key: &str) -> Result<PathBuf> {
        if key.is_empty() || key.len() > 128 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Error::Template {
                template: key.to_owned(),
                reason: "cache keys are hex digests".to_owned(),
            });
        }
        Ok(self.index_dir.join(key))
    }

    /// The blob key a render key points at, if any.
    pub fn blob_key(&self, key: &str) -> Result<Option<BlobKey>> {
        let path = self.index_path(key)?;
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(BlobKey::parse(text.trim())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(Error::Io { path, source }),
        }
    }

    /// Stores a finished file (one not keyed by a render, such as a whole personalised video) and returns its
    /// blob key.
    pub fn store_file(&self, bytes: &[u8]) -> Result<String> {
        let blob = self
            .runtime
            .block_on(self.blobs.put(bytes))
            .map_err(|e| store_error(&self.index_dir, e))?;
        Ok(blob.as_str().to_owned())
    }

    fn read(&self, key: &str) -> Result<Option<Vec<u8>>> {
        let Some(blob) = self.blob_key(key)? else {
            return Ok(None);
        };
        self.runtime
            .block_on(self.blobs.get(&blob))
            .map_err(|e| store_error(&self.index_dir, e))
    }

    fn write(&self, key: &str, bytes: &[u8]) -> Result<()> {
        let path = self.index_path(key)?;
        let blob = self.store_file(bytes)?;
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| Error::Io { path, source }
        };
        std::fs::create_dir_all(&self.index_dir).map_err(io(&self.index_dir))?;
        let temp = self
            .index_dir
            .join(format!(".{key}.{}.tmp", std::process::id()));
        std::fs::write(&temp, &blob).map_err(io(&temp))?;
        std::fs::rename(&temp, &path).map_err(io(&path))
    }
}

fn store_error(dir: &Path, err: canvass_store::StoreError) -> Error {
    Error::Io {
        path: dir.to_owned(),
        source: std::io::Error::other(err.to_string()),
    }
}

impl RenderCache for BlobCache {
    fn get(&self, key: &str) -> Result<Option<Arc<[u8]>>> {
        Ok(self.read(key)?.map(Arc::from))
    }

    fn put(&self, key: &str, bytes: Arc<[u8]>) -> Result<()> {
        self.write(key, &bytes)
    }
}

impl IntroCache for BlobCache {
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        self.read(key)
    }

    fn put(&self, key: &str, bytes: &[u8]) -> Result<()> {
        self.write(key, bytes)
    }
}
