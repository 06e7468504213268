//! The JSON layer template (the fast path): everything that is the same for every recipient is done once at
//! load; a render paints and encodes only the band of MCU rows its personalised layers touch.
//!
//! At load: the background is decoded (and resized), the static layers (no placeholders) are painted into it,
//! fonts are resolved, and the result is encoded once as the base JPEG, cut at its restart markers. Per render:
//! copy the band's background rows, paint the personalised layers, encode the band, splice it into the base.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use image::RgbaImage;

use super::draw::{self, blend_rgba, decode_file, fit_into};
use super::fonts;
use super::jpeg::{MCU_ROW, Segmented, encode_rgb};
use super::placeholder::{Fields, Pattern};
use super::spec::{Fit, LayerSpec, Spec, parse_color};
use super::text::{self, PixelBox, TextStyle};
use crate::{Error, Result};

/// A loaded layer template.
pub(crate) struct LayerTemplate {
    name: String,
    width: u32,
    height: u32,
    quality: u8,
    /// Background with the static layers painted in, packed RGB.
    background: Vec<u8>,
    /// Layers that differ per recipient, in drawing order.
    personal: Vec<Layer>,
    /// MCU rows the personal layers can touch.
    band: Range<u32>,
    /// The background encoded once.
    base: Segmented,
    base_dir: PathBuf,
    /// Pictures named by placeholders, decoded and scaled once per path and box.
    pictures: Mutex<HashMap<PictureKey, Arc<RgbaImage>>>,
}

/// A picture file and the box it was scaled into.
type PictureKey = (String, [u32; 4]);

enum Layer {
    Text {
        text: Pattern,
        style: TextStyle,
        area: PixelBox,
    },
    Image {
        src: Pattern,
        area: PixelBox,
        fit: Fit,
    },
    Qr {
        data: Pattern,
        area: PixelBox,
        dark: [u8; 3],
        light: [u8; 3],
    },
}

impl Layer {
    fn area(&self) -> PixelBox {
        match self {
            Layer::Text { area, .. } | Layer::Image { area, .. } | Layer::Qr { area, .. } => *area,
        }
    }

    fn patterns(&self) -> &Pattern {
        match self {
            Layer::Text { text, .. } => text,
            Layer::Image { src, .. } => src,
            Layer::Qr { data, .. } => data,
        }
    }
}

impl LayerTemplate {
    /// Loads a spec; `name` is used in messages when the spec has none, `source` feeds the digest.
    pub(crate) fn load(
        name: &str,
        source: &str,
        base_dir: &Path,
    ) -> Result<(LayerTemplate, Vec<Vec<u8>>)> {
        let spec: Spec = serde_json::from_str(source)
            .map_err(|e| template_error(name, format!("invalid layer spec: {e}")))?;
        let name = spec.name.clone().unwrap_or_else(|| name.to_owned());
        let fail = |reason: String| template_error(&name, reason);
        let mut assets = Vec::new();
        let (width, height, mut background) = if let Some(color) = parse_color(&spec.background) {
            let (Some(w), Some(h)) = (spec.width, spec.height) else {
                return Err(fail("a colour background needs width and height".into()));
            };
            let pixels = (0..w as usize * h as usize)
                .flat_map(|_| color)
                .collect::<Vec<u8>>();
            (w, h, pixels)
        } else {
            let path = base_dir.join(&spec.background);
            assets.push(
                std::fs::read(&path)
                    .map_err(|e| fail(format!("background {}: {e}", path.display())))?,
            );
            let mut picture = decode_file(&path).map_err(|e| fail(format!("background: {e}")))?;
            if let (Some(w), Some(h)) = (spec.width, spec.height)
                && (w, h) != picture.dimensions()
            {
                picture = fit_into(&picture, PixelBox { x: 0, y: 0, w, h }, Fit::Cover);
            }
            let (w, h) = picture.dimensions();
            let rgb = picture
                .pixels()
                .flat_map(|p| [p.0[0], p.0[1], p.0[2]])
                .collect::<Vec<u8>>();
            (w, h, rgb)
        };
        if width == 0 || height == 0 || width > u32::from(u16::MAX) || height > u32::from(u16::MAX)
        {
            return Err(fail(format!("size {width}×{height} is outside 1–65,535")));
        }
        let mut template = LayerTemplate {
            name: name.clone(),
            width,
            height,
            quality: spec.quality,
            background: Vec::new(),
            personal: Vec::new(),
            band: 0..0,
            base: Segmented::default(),
            base_dir: base_dir.to_owned(),
            pictures: Mutex::default(),
        };
        for (index, layer) in spec.layers.into_iter().enumerate() {
            let layer = template.resolve(index, layer)?;
            if layer.patterns().is_static() {
                template.draw(&layer, &[] as &[(&str, &str)], &mut background, 0)?;
                if let Layer::Image { src, .. } = &layer {
                    let path =
                        base_dir.join(src.fill(&[] as &[(&str, &str)], false).unwrap_or_default());
                    assets.push(
                        std::fs::read(&path)
                            .map_err(|e| fail(format!("image {}: {e}", path.display())))?,
                    );
                }
            } else {
                template.personal.push(layer);
            }
        }
        let top = template
            .personal
            .iter()
            .map(|l| l.area().y)
            .min()
            .unwrap_or(0);
        let bottom = template
            .personal
            .iter()
            .map(|l| l.area().y + l.area().h)
            .max()
            .unwrap_or(0);
        template.band = if template.personal.is_empty() {
            0..0
        } else {
            top / MCU_ROW..bottom.div_ceil(MCU_ROW)
        };
        template.base = Segmented::parse(
            &name,
            encode_rgb(&name, &background, width, height, spec.quality)?,
        )?;
        template.background = background;
        Ok((template, assets))
    }

    fn resolve(&self, index: usize, layer: LayerSpec) -> Result<Layer> {
        let fail = |reason: String| template_error(&self.name, format!("layer {index}: {reason}"));
        let pattern = |text: &str| Pattern::parse(text).map_err(&fail);
        let color = |text: &str| {
            parse_color(text).ok_or_else(|| fail(format!("bad colour `{text}` (want #rrggbb)")))
        };
        let area = |b: [u32; 4]| -> Result<PixelBox> {
            let fits = b[2] > 0
                && b[3] > 0
                && b[0].checked_add(b[2]).is_some_and(|r| r <= self.width)
                && b[1].checked_add(b[3]).is_some_and(|r| r <= self.height);
            if !fits {
                return Err(fail(format!(
                    "box {b:?} is empty or outside the {}×{} picture",
                    self.width, self.height
                )));
            }
            Ok(PixelBox {
                x: b[0],
                y: b[1],
                w: b[2],
                h: b[3],
            })
        };
        Ok(match layer {
            LayerSpec::Text {
                text,
                font,
                weight,
                italic,
                fallback,
                size,
                min_size,
                color: fill,
                stroke,
                align,
                valign,
                area: b,
            } => {
                let mut faces = vec![self.font(&font, weight, italic).map_err(&fail)?];
                for family in &fallback {
                    faces.push(self.font(family, weight, italic).map_err(&fail)?);
                }
                let stroke = match stroke {
                    Some(s) => Some((s.width.max(0.0), color(&s.color)?)),
                    None => None,
                };
                let size = size.max(1.0);
                let style = TextStyle {
                    faces,
                    weight,
                    size,
                    min_size: min_size.unwrap_or(size / 4.0).min(size),
                    align,
                    valign,
                    color: color(&fill)?,
                    stroke,
                };
                Layer::Text {
                    text: pattern(&text)?,
                    style,
                    area: area(b)?,
                }
            }
            LayerSpec::Image { src, area: b, fit } => Layer::Image {
                src: pattern(&src)?,
                area: area(b)?,
                fit,
            },
            LayerSpec::Qr {
                data,
                area: b,
                color: dark,
                background,
            } => Layer::Qr {
                data: pattern(&data)?,
                area: area(b)?,
                dark: color(&dark)?,
                light: color(&background)?,
            },
        })
    }

    fn font(&self, font: &str, weight: u16, italic: bool) -> Result<Arc<fonts::Face>, String> {
        let lower = font.to_ascii_lowercase();
        if [".ttf", ".otf", ".ttc"]
            .iter()
            .any(|ext| lower.ends_with(ext))
        {
            return fonts::load_file(&self.base_dir.join(font));
        }
        fonts::find(font, weight, italic).ok_or_else(|| format!("font `{font}` is not installed"))
    }

    /// Paints one layer for one recipient into rows starting at picture row `origin_y`.
    fn draw(
        &self,
        layer: &Layer,
        fields: &(impl Fields + ?Sized),
        rgb: &mut [u8],
        origin_y: u32,
    ) -> Result<()> {
        let missing =
            |field: String| template_error(&self.name, format!("field `{field}` has no value"));
        match layer {
            Layer::Text { text, style, area } => {
                let line = text.fill(fields, false).map_err(missing)?;
                let mask = text::rasterise(style, &line, *area);
                text::blend(&mask, style, rgb, self.width, origin_y);
            }
            Layer::Image { src, area, fit } => {
                let path = src.fill(fields, false).map_err(missing)?;
                let picture = self.picture(&path, *area, *fit)?;
                blend_rgba(&picture, *area, rgb, self.width, origin_y);
            }
            Layer::Qr {
                data,
                area,
                dark,
                light,
            } => {
                let data = data.fill(fields, false).map_err(missing)?;
                draw::draw_qr(&data, *area, *dark, *light, rgb, self.width, origin_y)
                    .map_err(|e| template_error(&self.name, e))?;
            }
        }
        Ok(())
    }

    fn picture(&self, path: &str, area: PixelBox, fit: Fit) -> Result<Arc<RgbaImage>> {
        let key = (path.to_owned(), [area.x, area.y, area.w, area.h]);
        if let Some(found) = self
            .pictures
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
        {
            return Ok(found.clone());
        }
        let full = self.base_dir.join(path);
        if !full.is_file() {
            return Err(template_error(
                &self.name,
                format!("image `{path}` not found ({})", full.display()),
            ));
        }
        let picture = Arc::new(fit_into(&decode_file(&full)?, area, fit));
        self.pictures
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, picture.clone());
        Ok(picture)
    }

    /// The fields the personal layers reference, sorted and without repeats.
    pub(crate) fn fields(&self) -> Vec<String> {
        let mut fields: Vec<String> = self
            .personal
            .iter()
            .flat_map(|l| l.patterns().fields().map(str::to_owned))
            .collect();
        fields.sort();
        fields.dedup();
        fields
    }

    pub(crate) fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// The personalised picture as RGB pixels (whole picture, no encoding): for checks and other encoders.
    pub(crate) fn render_rgb(&self, fields: &(impl Fields + ?Sized)) -> Result<Vec<u8>> {
        let mut rgb = self.background.clone();
        for layer in &self.personal {
            self.draw(layer, fields, &mut rgb, 0)?;
        }
        Ok(rgb)
    }

    /// The personalised JPEG: the band re-encoded and spliced into the base.
    pub(crate) fn render_jpeg(&self, fields: &(impl Fields + ?Sized)) -> Result<Vec<u8>> {
        if self.band.is_empty() {
            return Ok(self.base.bytes().to_vec());
        }
        let top = self.band.start * MCU_ROW;
        let bottom = (self.band.end * MCU_ROW).min(self.height);
        let row_bytes = self.width as usize * 3;
        let mut rgb =
            self.background[top as usize * row_bytes..bottom as usize * row_bytes].to_vec();
        for layer in &self.personal {
            self.draw(layer, fields, &mut rgb, top)?;
        }
        // Only the MCU rows whose pixels differ from the background need re-encoding: a short name in a tall
        // box touches fewer rows than the box spans.
        let background = &self.background[top as usize * row_bytes..bottom as usize * row_bytes];
        let differs = |y: &usize| {
            rgb[y * row_bytes..(y + 1) * row_bytes]
                != background[y * row_bytes..(y + 1) * row_bytes]
        };
        let band_rows = (bottom - top) as usize;
        let Some(first) = (0..band_rows).find(differs) else {
            return Ok(self.base.bytes().to_vec());
        };
        let last = (first..band_rows).rev().find(differs).unwrap_or(first);
        let (from, to) = (first / MCU_ROW as usize, last / MCU_ROW as usize + 1);
        let pixels = &rgb[from * MCU_ROW as usize * row_bytes
            ..(to * MCU_ROW as usize).min(band_rows) * row_bytes];
        let height = (pixels.len() / row_bytes) as u32;
        let band = Segmented::parse(
            &self.name,
            encode_rgb(&self.name, pixels, self.width, height, self.quality)?,
        )?;
        Ok(self.base.splice(self.band.start as usize + from, &band))
    }

    /// The whole personalised picture encoded in one go (no splicing): the reference the splice must equal.
    pub(crate) fn render_jpeg_full(&self, fields: &(impl Fields + ?Sized)) -> Result<Vec<u8>> {
        encode_rgb(
            &self.name,
            &self.render_rgb(fields)?,
            self.width,
            self.height,
            self.quality,
        )
    }
}

pub(crate) fn template_error(template: &str, reason: String) -> Error {
    Error::Template {
        template: template.to_owned(),
        reason,
    }
}
