//! Personalised pictures: a template (a background, text and picture layers with `{{placeholders}}`) rendered
//! once per distinct set of values into a JPEG.
//!
//! Two template kinds, chosen by extension or content at [`Template::load`]:
//! - **SVG** (`.svg`): anything SVG can draw; text is shaped and laid out by usvg, painted by resvg. Flexible,
//!   and every render re-parses and re-paints the whole picture.
//! - **JSON layer spec** (`.json`, see the `spec` module): a background plus text, image and QR layers. The fast
//!   path: the background and static layers are decoded, painted and JPEG-encoded once at load; a render paints
//!   and encodes only the band of MCU rows its personalised layers touch and splices it into the base JPEG.
//!
//! Renders are keyed by content ([`Template::key`]: the template and the values of the fields it references),
//! and [`BatchRenderer`] renders each key once, keeping results in a [`RenderCache`].

mod batch;
mod cache;
mod draw;
mod fonts;
mod jpeg;
mod layers;
mod placeholder;
mod spec;
mod svg;
mod text;

use std::path::Path;
use std::sync::Arc;

pub use batch::{BatchRenderer, BatchStats};
pub use cache::{MemoryRenderCache, RenderCache};
pub use placeholder::Fields;
pub use text::{Align, PixelBox, VAlign};

use cache::KeyBuilder;
use layers::{LayerTemplate, template_error};
use svg::SvgTemplate;

use crate::{Error, Result};

/// A loaded picture template, ready to render many times (it is `Send + Sync`; share it across threads).
pub struct Template {
    name: String,
    fields: Vec<String>,
    digest: [u8; 32],
    kind: Kind,
}

enum Kind {
    Svg(SvgTemplate),
    Layers(LayerTemplate),
}

/// One rendered picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The encoded picture.
    pub bytes: Arc<[u8]>,
    /// Its MIME type (`image/jpeg`).
    pub mime: &'static str,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Content key: equal keys mean equal bytes.
    pub key: String,
}

impl Template {
    /// Loads a template file: SVG when the name ends in `.svg` or the text starts like XML, JSON otherwise.
    /// Relative paths inside (background, pictures, font files) are resolved against the file's folder.
    pub fn load(path: &Path) -> Result<Template> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let base_dir = path.parent().unwrap_or_else(|| Path::new("."));
        let is_svg = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
            || text.trim_start().starts_with('<');
        if is_svg {
            Template::from_svg(&name, &text, base_dir)
        } else {
            Template::from_json(&name, &text, base_dir)
        }
    }

    /// An SVG template from its text.
    pub fn from_svg(name: &str, text: &str, base_dir: &Path) -> Result<Template> {
        let template = SvgTemplate::load(name, text, base_dir)?;
        Ok(Template {
            name: name.to_owned(),
            fields: template.fields(),
            digest: cache::digest(&[b"svg", text.as_bytes()]),
            kind: Kind::Svg(template),
        })
    }

    /// A JSON layer template from its text.
    pub fn from_json(name: &str, text: &str, base_dir: &Path) -> Result<Template> {
        let (template, assets) = LayerTemplate::load(name, text, base_dir)?;
        let mut parts: Vec<&[u8]> = vec![b"layers", text.as_bytes()];
        parts.extend(assets.iter().map(Vec::as_slice));
        Ok(Template {
            name: template.name().to_owned(),
            fields: template.fields(),
            digest: cache::digest(&parts),
            kind: Kind::Layers(template),
        })
    }

    /// The template's name (its file name, or the spec's `name`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The fields the template references, sorted.
    pub fn fields(&self) -> &[String] {
        &self.fields
    }

    /// Output size in pixels.
    pub fn size(&self) -> (u32, u32) {
        match &self.kind {
            Kind::Svg(t) => t.size(),
            Kind::Layers(t) => t.size(),
        }
    }

    /// The content key for these values: SHA-256 over the template (source and assets) and the values of the
    /// fields it references, nothing else. Errors when a referenced field has no value.
    pub fn key(&self, fields: &(impl Fields + ?Sized)) -> Result<String> {
        let mut key = KeyBuilder::new(&self.digest);
        for name in &self.fields {
            let value = fields.field(name).ok_or_else(|| {
                template_error(&self.name, format!("field `{name}` has no value"))
            })?;
            key.field(name, value);
        }
        Ok(key.finish())
    }

    /// Renders the JPEG for one recipient.
    pub fn render(&self, fields: &(impl Fields + ?Sized)) -> Result<Rendered> {
        let key = self.key(fields)?;
        let bytes = match &self.kind {
            Kind::Layers(t) => t.render_jpeg(fields)?,
            Kind::Svg(t) => {
                let (w, h) = t.size();
                jpeg::encode_rgb(&self.name, &t.render_rgb(fields)?, w, h, 85)?
            }
        };
        let (width, height) = self.size();
        Ok(Rendered {
            bytes: bytes.into(),
            mime: "image/jpeg",
            width,
            height,
            key,
        })
    }

    /// The personalised picture as packed RGB pixels, before encoding: for checks, previews and other encoders.
    pub fn render_rgb(&self, fields: &(impl Fields + ?Sized)) -> Result<Vec<u8>> {
        match &self.kind {
            Kind::Layers(t) => t.render_rgb(fields),
            Kind::Svg(t) => t.render_rgb(fields),
        }
    }

    /// The JPEG encoded whole, without splicing: the reference a spliced render must equal byte for byte.
    pub fn render_unspliced(&self, fields: &(impl Fields + ?Sized)) -> Result<Vec<u8>> {
        match &self.kind {
            Kind::Layers(t) => t.render_jpeg_full(fields),
            Kind::Svg(t) => {
                let (w, h) = t.size();
                jpeg::encode_rgb(&self.name, &t.render_rgb(fields)?, w, h, 85)
            }
        }
    }

    /// The filled SVG text of an SVG template (values XML-escaped); `None` for layer templates.
    pub fn filled_svg(&self, fields: &(impl Fields + ?Sized)) -> Option<Result<String>> {
        match &self.kind {
            Kind::Svg(t) => Some(t.fill(fields)),
            Kind::Layers(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    /// A template is shared by the threads of a batch.
    #[test]
    fn template_is_send_and_sync() {
        fn shareable<T: Send + Sync>() {}
        shareable::<super::Template>();
        shareable::<super::MemoryRenderCache>();
    }
}
