//! The fast text path: one line of text laid out with per-character font fallback, shrunk to fit its box,
//! rasterised with ab_glyph into a coverage mask, optionally stroked, and blended onto RGB pixels.
//!
//! Each single-font run is shaped with harfrust (the same shaper the SVG path uses), so Arabic joins, Indic
//! conjuncts form and marks sit on their bases. There is no full bidi reordering of mixed-direction lines: a line
//! is laid out right to left when its first letter is right-to-left, which suits names.

use std::sync::Arc;

use ab_glyph::{Font, GlyphId, PxScale, point};

use super::fonts::{self, Face};

/// Horizontal placement of the line in its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    /// Flush with the box's left edge.
    Left,
    /// Centred.
    #[default]
    Center,
    /// Flush with the box's right edge.
    Right,
}

/// Vertical placement of the line in its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VAlign {
    /// Ascent at the box's top.
    Top,
    /// Line centred.
    #[default]
    Middle,
    /// Descent at the box's bottom.
    Bottom,
}

/// A rectangle in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PixelBox {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width.
    pub w: u32,
    /// Height.
    pub h: u32,
}

/// How one text layer draws, resolved at load.
pub(crate) struct TextStyle {
    /// The chosen face first, then the layer's own fallbacks.
    pub(crate) faces: Vec<Arc<Face>>,
    pub(crate) weight: u16,
    pub(crate) size: f32,
    pub(crate) min_size: f32,
    pub(crate) align: Align,
    pub(crate) valign: VAlign,
    pub(crate) color: [u8; 3],
    pub(crate) stroke: Option<(f32, [u8; 3])>,
}

struct Placed {
    face: Arc<Face>,
    id: GlyphId,
    /// Glyph origin in ems from the line's start and the baseline (y down).
    x_em: f32,
    y_em: f32,
}

/// Glyphs for `text` in visual order, and the line's width in ems.
///
/// The text is cut into runs that one face covers (the current face is kept while it has the characters, so
/// marks stay with their base); each run is shaped with harfrust (joining forms, conjuncts, marks, kerning, its
/// own direction). Runs are placed left to right, or right to left when the line starts in a right-to-left script.
fn lay_out(style: &TextStyle, text: &str) -> (Vec<Placed>, f32) {
    let text: String = text.chars().filter(|c| !c.is_control()).collect();
    let mut runs: Vec<(Arc<Face>, std::ops::Range<usize>)> = Vec::new();
    let mut fallbacks: Vec<Arc<Face>> = Vec::new();
    for (at, c) in text.char_indices() {
        let has = |f: &Arc<Face>| f.font.glyph_id(c).0 != 0;
        let current = runs
            .last()
            .map(|(f, _)| f.clone())
            .filter(|f| has(f) || c.is_whitespace());
        let face = current
            .or_else(|| style.faces.iter().find(|f| has(f)).cloned())
            .or_else(|| fallbacks.iter().find(|f| has(f)).cloned())
            .or_else(|| {
                let found = fonts::fallback_for(c, style.weight)?;
                fallbacks.push(found.clone());
                Some(found)
            })
            .unwrap_or_else(|| style.faces[0].clone());
        match runs.last_mut() {
            Some((f, range)) if Arc::ptr_eq(f, &face) => range.end = at + c.len_utf8(),
            _ => runs.push((face, at..at + c.len_utf8())),
        }
    }
    let chars: Vec<char> = text.chars().collect();
    if is_right_to_left(&chars) {
        runs.reverse();
    }
    let mut placed = Vec::with_capacity(chars.len());
    let mut pen = 0.0f32;
    for (face, range) in runs {
        pen = shape_run(&face, &text[range], pen, &mut placed);
    }
    (placed, pen)
}

/// Shapes one single-face run starting at `pen` (ems); returns the pen after it. Falls back to plain advances
/// when the face cannot be shaped.
fn shape_run(face: &Arc<Face>, text: &str, mut pen: f32, placed: &mut Vec<Placed>) -> f32 {
    let upem = face.font.units_per_em().unwrap_or(1000.0);
    let shaped = face
        .shaper_data()
        .zip(harfrust::FontRef::from_index(face.font.as_slice(), face.index).ok());
    let Some((data, font)) = shaped else {
        for c in text.chars() {
            let id = face.font.glyph_id(c);
            placed.push(Placed {
                face: face.clone(),
                id,
                x_em: pen,
                y_em: 0.0,
            });
            pen += face.font.h_advance_unscaled(id) / upem;
        }
        return pen;
    };
    let shaper = data.shaper(&font).build();
    let mut buffer = harfrust::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    let output = shaper.shape(buffer, harfrust::ShapeOptions::new());
    for (info, pos) in output.glyph_infos().iter().zip(output.glyph_positions()) {
        let id = GlyphId(u16::try_from(info.glyph_id).unwrap_or(0));
        let (dx, dy) = (pos.x_offset as f32 / upem, pos.y_offset as f32 / upem);
        placed.push(Placed {
            face: face.clone(),
            id,
            x_em: pen + dx,
            y_em: -dy,
        });
        pen += pos.x_advance as f32 / upem;
    }
    pen
}

/// True when the first strongly directional character is Hebrew or Arabic: the line then reads right to left.
fn is_right_to_left(chars: &[char]) -> bool {
    let rtl = |c: char| matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF);
    chars
        .iter()
        .find(|c| c.is_alphabetic())
        .is_some_and(|&c| rtl(c))
}

/// Coverage of the text over its box, `w × h` values in 0..=1.
pub(crate) struct Mask {
    pub(crate) area: PixelBox,
    pub(crate) fill: Vec<f32>,
    pub(crate) stroke: Option<Vec<f32>>,
    /// Rows and columns of the box that may hold ink (`x0, y0, x1, y1`, ends exclusive): blending skips the rest.
    pub(crate) inked: [usize; 4],
}

/// Lays out `text`, shrinks it until it fits `area` (never below `min_size`; beyond that it is clipped), and
/// rasterises it.
pub(crate) fn rasterise(style: &TextStyle, text: &str, area: PixelBox) -> Mask {
    let (glyphs, width_em) = lay_out(style, text);
    let primary = &style.faces[0].font;
    let upem = primary.units_per_em().unwrap_or(1000.0);
    let (ascent, descent) = (
        primary.ascent_unscaled() / upem,
        primary.descent_unscaled() / upem,
    );
    let stroke = style.stroke.map_or(0.0, |(w, _)| w);
    let inner_w = (area.w as f32 - 2.0 * stroke).max(1.0);
    let inner_h = (area.h as f32 - 2.0 * stroke).max(1.0);
    let mut size = style.size;
    if width_em > 0.0 {
        size = size.min(inner_w / width_em);
    }
    size = size.min(inner_h / (ascent - descent)).max(style.min_size);
    let line_w = width_em * size;
    let x0 = match style.align {
        Align::Left => stroke,
        Align::Center => (area.w as f32 - line_w) / 2.0,
        Align::Right => area.w as f32 - stroke - line_w,
    };
    let baseline = match style.valign {
        VAlign::Top => stroke + ascent * size,
        VAlign::Middle => (area.h as f32 - (ascent - descent) * size) / 2.0 + ascent * size,
        VAlign::Bottom => area.h as f32 - stroke + descent * size,
    };
    let (w, h) = (area.w as usize, area.h as usize);
    let mut fill = vec![0.0f32; w * h];
    let mut inked = [w, h, 0, 0];
    for glyph in glyphs {
        let font = &glyph.face.font;
        let face_upem = font.units_per_em().unwrap_or(1000.0);
        let scale = PxScale::from(size * font.height_unscaled() / face_upem);
        let positioned = glyph.id.with_scale_and_position(
            scale,
            point(x0 + glyph.x_em * size, baseline + glyph.y_em * size),
        );
        let Some(outline) = font.outline_glyph(positioned) else {
            continue;
        };
        let bounds = outline.px_bounds();
        let clamp = |v: f32, max: usize| (v.max(0.0) as usize).min(max);
        inked[0] = inked[0].min(clamp(bounds.min.x.floor(), w));
        inked[1] = inked[1].min(clamp(bounds.min.y.floor(), h));
        inked[2] = inked[2].max(clamp(bounds.max.x.ceil() + 1.0, w));
        inked[3] = inked[3].max(clamp(bounds.max.y.ceil() + 1.0, h));
        outline.draw(|gx, gy, coverage| {
            let x = bounds.min.x as i64 + i64::from(gx);
            let y = bounds.min.y as i64 + i64::from(gy);
            if (0..w as i64).contains(&x) && (0..h as i64).contains(&y) {
                let cell = &mut fill[y as usize * w + x as usize];
                *cell = (*cell + coverage).min(1.0);
            }
        });
    }
    let radius = style
        .stroke
        .map_or(0, |(width, _)| width.round().max(1.0) as usize);
    let stroke = style.stroke.map(|_| dilate(&fill, w, h, radius));
    if radius > 0 && inked[0] < inked[2] {
        inked = [
            inked[0].saturating_sub(radius),
            inked[1].saturating_sub(radius),
            (inked[2] + radius).min(w),
            (inked[3] + radius).min(h),
        ];
    }
    Mask {
        area,
        fill,
        stroke,
        inked,
    }
}

/// Grows coverage by `radius` pixels in every direction (a separable maximum): the outline stroke.
fn dilate(mask: &[f32], w: usize, h: usize, radius: usize) -> Vec<f32> {
    let mut across = vec![0.0f32; mask.len()];
    for y in 0..h {
        let row = &mask[y * w..(y + 1) * w];
        for x in 0..w {
            let (lo, hi) = (x.saturating_sub(radius), (x + radius + 1).min(w));
            across[y * w + x] = row[lo..hi].iter().copied().fold(0.0, f32::max);
        }
    }
    let mut out = vec![0.0f32; mask.len()];
    for y in 0..h {
        let (lo, hi) = (y.saturating_sub(radius), (y + radius + 1).min(h));
        for x in 0..w {
            out[y * w + x] = (lo..hi).map(|yy| across[yy * w + x]).fold(0.0, f32::max);
        }
    }
    out
}

/// Blends the mask onto packed RGB rows whose first row is picture row `origin_y`: stroke first, then fill.
pub(crate) fn blend(mask: &Mask, style: &TextStyle, rgb: &mut [u8], width: u32, origin_y: u32) {
    if let (Some(stroke), Some((_, color))) = (&mask.stroke, style.stroke) {
        blend_coverage(stroke, color, mask, rgb, width, origin_y);
    }
    blend_coverage(&mask.fill, style.color, mask, rgb, width, origin_y);
}

fn blend_coverage(
    coverage: &[f32],
    color: [u8; 3],
    mask: &Mask,
    rgb: &mut [u8],
    width: u32,
    origin_y: u32,
) {
    let area = mask.area;
    let rows = (rgb.len() / (width as usize * 3)) as u32;
    let [x0, y0, x1, y1] = mask.inked;
    let x1 = x1.min(width.saturating_sub(area.x) as usize);
    if x0 >= x1 {
        return;
    }
    for y in y0 as u32..y1 as u32 {
        let Some(py) = (area.y + y).checked_sub(origin_y).filter(|&py| py < rows) else {
            continue;
        };
        let mask_row = &coverage[(y * area.w) as usize..][x0..x1];
        let start = ((py * width + area.x) as usize + x0) * 3;
        let pixel_row = &mut rgb[start..start + (x1 - x0) * 3];
        for (pixel, &a) in pixel_row.chunks_exact_mut(3).zip(mask_row) {
            if a <= 0.0 {
                continue;
            }
            // Integer blend with 8-bit alpha: exact for full coverage, and no float rounding per channel.
            let alpha = (a * 255.0 + 0.5) as u32;
            for (channel, &target) in pixel.iter_mut().zip(&color) {
                *channel = ((u32::from(target) * alpha + u32::from(*channel) * (255 - alpha) + 127)
                    / 255) as u8;
            }
        }
    }
}
