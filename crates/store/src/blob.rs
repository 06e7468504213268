//! Media blobs on the filesystem, addressed by their SHA-256, so identical renders are stored once.

use crate::StoreError;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// A blob's address: the hex SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BlobKey(String);

impl BlobKey {
    /// The key of `bytes`.
    pub fn of(bytes: &[u8]) -> BlobKey {
        BlobKey(hex::encode(Sha256::digest(bytes)))
    }

    /// Parses a stored key, refusing anything that is not 64 lower-case hex digits (so it can never escape the
    /// blob folder as a path).
    pub fn parse(s: &str) -> Option<BlobKey> {
        (s.len() == 64
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        .then(|| BlobKey(s.to_owned()))
    }

    /// The hex digest.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A folder of content-addressed files, fanned out by the first two hex digits.
#[derive(Debug, Clone)]
pub struct BlobStore {
    root: PathBuf,
}

impl BlobStore {
    /// A blob store rooted at `root` (created on first write).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BlobStore { root: root.into() }
    }

    fn path(&self, key: &BlobKey) -> PathBuf {
        self.root.join(&key.0[..2]).join(&key.0)
    }

    /// Stores `bytes` and returns their key. Writing goes through a temporary file and a rename, so a reader
    /// never sees half a blob.
    pub async fn put(&self, bytes: &[u8]) -> Result<BlobKey, StoreError> {
        let key = BlobKey::of(bytes);
        let path = self.path(&key);
        if tokio::fs::try_exists(&path).await.unwrap_or(false) {
            return Ok(key);
        }
        let dir = path.parent().unwrap_or(&self.root).to_path_buf();
        tokio::fs::create_dir_all(&dir)
            .await
            .map_err(|e| io_error(&dir, e))?;
        let tmp = dir.join(format!(".{}.{}.tmp", key.0, std::process::id()));
        tokio::fs::write(&tmp, bytes)
            .await
            .map_err(|e| io_error(&tmp, e))?;
        tokio::fs::rename(&tmp, &path)
            .await
            .map_err(|e| io_error(&path, e))?;
        Ok(key)
    }

    /// Reads a blob, or `None` if it is absent.
    pub async fn get(&self, key: &BlobKey) -> Result<Option<Vec<u8>>, StoreError> {
        let path = self.path(key);
        match tokio::fs::read(&path).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_error(&path, e)),
        }
    }
}

fn io_error(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Blob {
        path: path.display().to_string(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stores_by_content_and_reads_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let blobs = BlobStore::new(dir.path());
        let a = blobs.put(b"hello").await.expect("put");
        let again = blobs.put(b"hello").await.expect("put twice");
        assert_eq!(a, again);
        assert_eq!(
            a.as_str(),
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
        );
        assert_eq!(
            blobs.get(&a).await.expect("get").as_deref(),
            Some(&b"hello"[..])
        );
        let missing = BlobKey::of(b"other");
        assert_eq!(blobs.get(&missing).await.expect("get"), None);
    }

    #[test]
    fn keys_cannot_be_paths() {
        assert!(BlobKey::parse("../../etc/passwd").is_none());
        assert!(BlobKey::parse(&"A".repeat(64)).is_none());
        assert!(BlobKey::parse(&"a".repeat(64)).is_some());
    }
}
