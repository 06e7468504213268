//! Pixel work shared by the layer kinds: decoding pictures with limits, scaling them into a box, QR codes.
//!
//! Every draw writes into packed RGB rows whose first row is picture row `origin_y`, so the same code paints a
//! whole picture or only the band of rows a personalised render re-encodes.

use std::path::Path;

use image::imageops::FilterType;
use image::{ImageReader, Limits, RgbaImage};

use super::spec::Fit;
use super::text::PixelBox;
use crate::{Error, Result};

/// Largest picture a template may load: 8,192 pixels a side, 256 MiB decoded.
const MAX_SIDE: u32 = 8192;
const MAX_ALLOC: u64 = 256 << 20;

/// Decodes a picture file to RGBA with the limits set before any pixel is decoded.
pub(crate) fn decode_file(path: &Path) -> Result<RgbaImage> {
    let corrupt = |reason: String| Error::Corrupt {
        what: path.display().to_string(),
        reason,
    };
    let mut reader = ImageReader::open(path)
        .map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?
        .with_guessed_format()
        .map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let image = reader.decode().map_err(|e| corrupt(e.to_string()))?;
    Ok(image.to_rgba8())
}

/// Scales `picture` into `area` as `fit` says: the result is `area`-sized, transparent where nothing covers.
pub(crate) fn fit_into(picture: &RgbaImage, area: PixelBox, fit: Fit) -> RgbaImage {
    let (pw, ph) = (
        picture.width().max(1) as f32,
        picture.height().max(1) as f32,
    );
    let scale = match fit {
        Fit::Cover => (area.w as f32 / pw).max(area.h as f32 / ph),
        Fit::Contain => (area.w as f32 / pw).min(area.h as f32 / ph),
    };
    let (sw, sh) = (
        ((pw * scale).round() as u32).max(1),
        ((ph * scale).round() as u32).max(1),
    );
    let scaled = image::imageops::resize(picture, sw, sh, FilterType::Triangle);
    let mut out = RgbaImage::new(area.w, area.h);
    let dx = (i64::from(area.w) - i64::from(sw)) / 2;
    let dy = (i64::from(area.h) - i64::from(sh)) / 2;
    image::imageops::overlay(&mut out, &scaled, dx, dy);
    out
}

/// Blends an `area`-sized RGBA picture onto the rows.
pub(crate) fn blend_rgba(
    picture: &RgbaImage,
    area: PixelBox,
    rgb: &mut [u8],
    width: u32,
    origin_y: u32,
) {
    let rows = (rgb.len() / (width as usize * 3)) as u32;
    for y in 0..area.h.min(picture.height()) {
        let Some(py) = (area.y + y).checked_sub(origin_y).filter(|&py| py < rows) else {
            continue;
        };
        for x in 0..area
            .w
            .min(picture.width())
            .min(width.saturating_sub(area.x))
        {
            let [r, g, b, a] = picture.get_pixel(x, y).0;
            if a == 0 {
                continue;
            }
            let i = ((py * width + area.x + x) * 3) as usize;
            let alpha = u32::from(a);
            for (channel, source) in rgb[i..i + 3].iter_mut().zip([r, g, b]) {
                *channel = ((u32::from(source) * alpha + u32::from(*channel) * (255 - alpha) + 127)
                    / 255) as u8;
            }
        }
    }
}

/// Draws a QR code for `data` centred in `area` on a light square with a two-module quiet zone.
pub(crate) fn draw_qr(
    data: &str,
    area: PixelBox,
    dark: [u8; 3],
    light: [u8; 3],
    rgb: &mut [u8],
    width: u32,
    origin_y: u32,
) -> Result<(), String> {
    let code =
        qrcode::QrCode::new(data.as_bytes()).map_err(|e| format!("QR code for `{data}`: {e}"))?;
    let modules = code.width() as u32;
    let colors = code.to_colors();
    let side = area.w.min(area.h);
    let unit = side / (modules + 4);
    if unit == 0 {
        return Err(format!(
            "QR box {}×{} is too small for {modules} modules",
            area.w, area.h
        ));
    }
    let x0 = area.x + (area.w - side) / 2;
    let y0 = area.y + (area.h - side) / 2;
    let margin = (side - unit * modules) / 2;
    let rows = (rgb.len() / (width as usize * 3)) as u32;
    for y in 0..side {
        let Some(py) = (y0 + y).checked_sub(origin_y).filter(|&py| py < rows) else {
            continue;
        };
        for x in 0..side.min(width.saturating_sub(x0)) {
            let module = |v: u32| {
                v.checked_sub(margin)
                    .map(|v| v / unit)
                    .filter(|&m| m < modules)
            };
            let is_dark = match (module(x), module(y)) {
                (Some(mx), Some(my)) => colors[(my * modules + mx) as usize] == qrcode::Color::Dark,
                _ => false,
            };
            let i = ((py * width + x0 + x) * 3) as usize;
            rgb[i..i + 3].copy_from_slice(if is_dark { &dark } else { &light });
        }
    }
    Ok(())
}
