//! Content keys, the batch renderer's dedupe, and the spliced JPEG against a whole-picture encode.

mod render_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use canvass_media::render::{BatchRenderer, MemoryRenderCache, RenderCache, Template};
use render_support::*;

/// Counts the puts reaching the real in-memory cache.
#[derive(Default)]
struct CountingCache {
    inner: MemoryRenderCache,
    puts: AtomicUsize,
}

impl RenderCache for CountingCache {
    fn get(&self, key: &str) -> canvass_media::Result<Option<Arc<[u8]>>> {
        self.inner.get(key)
    }
    fn put(&self, key: &str, bytes: Arc<[u8]>) -> canvass_media::Result<()> {
        self.puts.fetch_add(1, Ordering::SeqCst);
        self.inner.put(key, bytes)
    }
}

#[test]
fn identical_values_render_once_and_share_bytes_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let template =
        Template::load(&json_template(dir.path(), "Hi {{name}}!", "DejaVu Sans")).unwrap();
    let cache = CountingCache::default();
    let mut batch = BatchRenderer::new(&template, &cache);
    // Fields the template does not reference do not split the key.
    let first = batch.render(&[("name", "Ada"), ("zip", "19103")]).unwrap();
    let second = batch.render(&[("name", "Ada"), ("zip", "60601")]).unwrap();
    let other = batch.render(&[("name", "Grace")]).unwrap();
    assert_eq!(first.key, second.key);
    assert_eq!(first.bytes, second.bytes);
    assert_ne!(first.key, other.key);
    assert_ne!(first.bytes, other.bytes);
    assert_eq!(cache.puts.load(Ordering::SeqCst), 2, "Ada rendered once");
    let stats = batch.stats();
    assert_eq!((stats.requested, stats.rendered, stats.reused), (3, 2, 1));
    assert_eq!(first.key.len(), 64);
    // A fresh render gives the same bytes as the cached one: renders are deterministic.
    assert_eq!(
        template.render(&[("name", "Ada")]).unwrap().bytes,
        first.bytes
    );
}

#[test]
fn keys_change_with_the_template() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let hi = Template::load(&json_template(a.path(), "Hi {{name}}!", "DejaVu Sans")).unwrap();
    let hello = Template::load(&json_template(b.path(), "Hello {{name}}!", "DejaVu Sans")).unwrap();
    assert_ne!(
        hi.key(&[("name", "Ada")]).unwrap(),
        hello.key(&[("name", "Ada")]).unwrap()
    );
}

#[test]
fn spliced_jpeg_equals_a_whole_picture_encode() {
    let dir = tempfile::tempdir().unwrap();
    let template = Template::load(&json_template(dir.path(), "{{name}}", "DejaVu Sans")).unwrap();
    for name in [
        "Ada",
        "Bartholomew-Maximilian Wolfeschlegelsteinhausen",
        "محمد",
    ] {
        let spliced = template.render(&[("name", name)]).unwrap();
        let whole = template.render_unspliced(&[("name", name)]).unwrap();
        assert_eq!(
            &spliced.bytes[..],
            &whole[..],
            "{name}: splice differs from a full encode"
        );
        let decoded = image::load_from_memory(&spliced.bytes).unwrap().to_rgb8();
        assert_eq!(decoded.dimensions(), (W, H));
        // Within JPEG tolerance of the pixels before encoding.
        let source = template.render_rgb(&[("name", name)]).unwrap();
        let error: u64 = decoded
            .as_raw()
            .iter()
            .zip(&source)
            .map(|(&a, &b)| u64::from(a.abs_diff(b)))
            .sum();
        let mean = error as f64 / source.len() as f64;
        assert!(mean < 4.0, "{name}: mean error {mean:.2}");
    }
}
