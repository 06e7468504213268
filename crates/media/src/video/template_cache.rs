//! Where rendered intros are kept between recipients, keyed by content (a hash of the template, its body, the
//! target and the personalised text): a small port, so that the lead can back it by the blob store, and a
//! directory implementation.

use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// A store of rendered intros by content key. Keys are lower-case hex; values are whole intro files.
pub trait IntroCache: Send + Sync {
    /// The intro stored under `key`, if any.
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>>;
    /// Stores an intro under `key` (replacing any).
    fn put(&self, key: &str, bytes: &[u8]) -> Result<()>;
}

/// No caching: every render encodes its intro.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoIntroCache;

impl IntroCache for NoIntroCache {
    fn get(&self, _key: &str) -> Result<Option<Vec<u8>>> {
        Ok(None)
    }

    fn put(&self, _key: &str, _bytes: &[u8]) -> Result<()> {
        Ok(())
    }
}

/// Intros as files `<key>.intro` in one directory. Writes go through a temporary name and a rename, so a reader
/// never sees half a file.
#[derive(Debug, Clone)]
pub struct DirIntroCache {
    dir: PathBuf,
}

impl DirIntroCache {
    /// A cache in `dir`, created when missing.
    pub fn new(dir: impl Into<PathBuf>) -> Result<Self> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir).map_err(|source| Error::Io {
            path: dir.clone(),
            source,
        })?;
        Ok(DirIntroCache { dir })
    }

    fn path(&self, key: &str) -> Result<PathBuf> {
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Error::Template {
                template: key.to_owned(),
                reason: "intro cache keys are hex digests".into(),
            });
        }
        Ok(self.dir.join(format!("{key}.intro")))
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl IntroCache for DirIntroCache {
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        let path = self.path(key)?;
        match std::fs::read(&path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(Error::Io { path, source }),
        }
    }

    fn put(&self, key: &str, bytes: &[u8]) -> Result<()> {
        let path = self.path(key)?;
        let temp = self
            .dir
            .join(format!("{key}.{}.partial", std::process::id()));
        std::fs::write(&temp, bytes).map_err(|source| Error::Io {
            path: temp.clone(),
            source,
        })?;
        std::fs::rename(&temp, &path).map_err(|source| Error::Io { path, source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dir_cache_round_trips_and_rejects_path_like_keys() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DirIntroCache::new(dir.path().join("intros")).unwrap();
        assert_eq!(cache.get("abc123").unwrap(), None);
        cache.put("abc123", b"intro").unwrap();
        assert_eq!(cache.get("abc123").unwrap().as_deref(), Some(&b"intro"[..]));
        assert!(cache.put("../x", b"no").is_err());
    }
}
