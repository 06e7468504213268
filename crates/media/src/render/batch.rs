//! Rendering for a whole audience: each distinct content key is rendered once; every other recipient with the
//! same values gets the stored bytes.

use super::cache::RenderCache;
use super::placeholder::Fields;
use super::{Rendered, Template};
use crate::Result;

/// What a batch did so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchStats {
    /// Pictures asked for.
    pub requested: u64,
    /// Pictures actually rendered (cache misses).
    pub rendered: u64,
    /// Pictures served from the cache.
    pub reused: u64,
}

/// Renders one template for many recipients, deduplicated by content key through a [`RenderCache`].
pub struct BatchRenderer<'a, C: RenderCache + ?Sized> {
    template: &'a Template,
    cache: &'a C,
    stats: BatchStats,
}

impl<'a, C: RenderCache + ?Sized> BatchRenderer<'a, C> {
    /// A batch over `template`, storing results in `cache` (which may already hold earlier runs' renders).
    pub fn new(template: &'a Template, cache: &'a C) -> Self {
        BatchRenderer {
            template,
            cache,
            stats: BatchStats::default(),
        }
    }

    /// The picture for one recipient: from the cache when its key is there, else rendered and stored.
    pub fn render(&mut self, fields: &(impl Fields + ?Sized)) -> Result<Rendered> {
        self.stats.requested += 1;
        let key = self.template.key(fields)?;
        let (width, height) = self.template.size();
        if let Some(bytes) = self.cache.get(&key)? {
            self.stats.reused += 1;
            return Ok(Rendered {
                bytes,
                mime: "image/jpeg",
                width,
                height,
                key,
            });
        }
        let rendered = self.template.render(fields)?;
        self.cache.put(&rendered.key, rendered.bytes.clone())?;
        self.stats.rendered += 1;
        Ok(rendered)
    }

    /// Counts so far.
    pub fn stats(&self) -> BatchStats {
        self.stats
    }
}
