//! Media for campaign messages: picture templates rendered per recipient (equal fields give equal bytes, so
//! renders are cached by content key), and files read once.

use canvass_dispatch::plan::ComposeError;
use canvass_media::render::Template;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Renders kept in memory; past this the cache starts over (a campaign personalises by a few fields, so the
/// working set is small; this bounds a pathological one).
const MAX_RENDERS: usize = 20_000;

/// One attachment, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// MIME type.
    pub content_type: String,
    /// File name for Content-Location.
    pub name: String,
    /// The bytes.
    pub bytes: bytes::Bytes,
}

/// Templates, files and renders, shared by every campaign of a worker.
pub struct MediaCache {
    templates: Mutex<HashMap<String, Arc<Template>>>,
    files: Mutex<HashMap<String, Arc<Attachment>>>,
    renders: Mutex<HashMap<String, Arc<Attachment>>>,
    /// One render per core at a time.
    painters: tokio::sync::Semaphore,
}

impl Default for MediaCache {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        MediaCache {
            templates: Mutex::default(),
            files: Mutex::default(),
            renders: Mutex::default(),
            painters: tokio::sync::Semaphore::new(cores),
        }
    }
}

fn media_error(path: &str, e: impl std::fmt::Display) -> ComposeError {
    ComposeError::new("media_error", format!("{path}: {e}"))
}

/// The MIME type for a file, from its extension.
pub fn content_type_of(path: &str) -> &'static str {
    let ext = Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "mp4" => "video/mp4",
        "3gp" => "video/3gpp",
        "mp3" => "audio/mpeg",
        "amr" => "audio/amr",
        "vcf" => "text/vcard",
        _ => "application/octet-stream",
    }
}

fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("media")
        .to_owned()
}

impl MediaCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Waits for a free core to paint on; hold the permit for the render.
    pub async fn render_turn(
        &self,
    ) -> Result<tokio::sync::SemaphorePermit<'_>, tokio::sync::AcquireError> {
        self.painters.acquire().await
    }

    /// A file sent as is, read once.
    pub fn file(&self, path: &str) -> Result<Arc<Attachment>, ComposeError> {
        if let Some(a) = lock(&self.files).get(path) {
            return Ok(a.clone());
        }
        let bytes = std::fs::read(path).map_err(|e| media_error(path, e))?;
        let attachment = Arc::new(Attachment {
            content_type: content_type_of(path).to_owned(),
            name: file_name(path),
            bytes: bytes.into(),
        });
        lock(&self.files).insert(path.to_owned(), attachment.clone());
        Ok(attachment)
    }

    /// A picture template rendered with `fields`. Blocking (it may paint); call it off the async threads.
    pub fn picture(
        &self,
        path: &str,
        fields: &HashMap<String, String>,
    ) -> Result<Arc<Attachment>, ComposeError> {
        let template = self.template(path)?;
        let fields = &with_blanks(&template, fields);
        let key = template.key(fields).map_err(|e| media_error(path, e))?;
        if let Some(a) = lock(&self.renders).get(&key) {
            return Ok(a.clone());
        }
        let rendered = template.render(fields).map_err(|e| media_error(path, e))?;
        let stem = Path::new(path)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("picture");
        let attachment = Arc::new(Attachment {
            content_type: rendered.mime.to_owned(),
            name: format!("{stem}.jpg"),
            bytes: bytes::Bytes::copy_from_slice(&rendered.bytes),
        });
        let mut renders = lock(&self.renders);
        if renders.len() >= MAX_RENDERS {
            renders.clear();
        }
        renders.insert(key, attachment.clone());
        Ok(attachment)
    }

    /// Whether a render for `fields` is cached (no painting needed).
    pub fn picture_cached(
        &self,
        path: &str,
        fields: &HashMap<String, String>,
    ) -> Option<Arc<Attachment>> {
        let template = lock(&self.templates).get(path).cloned()?;
        let key = template.key(&with_blanks(&template, fields)).ok()?;
        lock(&self.renders).get(&key).cloned()
    }

    fn template(&self, path: &str) -> Result<Arc<Template>, ComposeError> {
        if let Some(t) = lock(&self.templates).get(path) {
            return Ok(t.clone());
        }
        let template = Arc::new(Template::load(Path::new(path)).map_err(|e| media_error(path, e))?);
        lock(&self.templates).insert(path.to_owned(), template.clone());
        Ok(template)
    }
}

/// A recipient without a field the template names (a number that is not a contact, a contact without a name)
/// gets it blank, as message text does, rather than no picture.
fn with_blanks(template: &Template, fields: &HashMap<String, String>) -> HashMap<String, String> {
    let mut filled = fields.clone();
    for name in template.fields() {
        filled.entry(name.clone()).or_default();
    }
    filled
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The picture fields for a recipient: the context's text fields, then the variant's own vars rendered.
pub fn picture_fields(
    context: &serde_json::Value,
    vars: &BTreeMap<String, String>,
) -> HashMap<String, String> {
    let mut fields: HashMap<String, String> = context
        .as_object()
        .map(|o| {
            o.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned())))
                .collect()
        })
        .unwrap_or_default();
    fields.extend(vars.iter().map(|(k, v)| (k.clone(), v.clone())));
    fields
}
